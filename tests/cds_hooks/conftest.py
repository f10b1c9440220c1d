"""CDS Hooks fixtures: a registered EHR, signed calls and a loopback FHIR server."""

from __future__ import annotations

import pytest

from cds.tokens import sign
from cds.use_cases import register_client
from tests.cds_hooks.builders import ISS, SECRET, claims
from tests.cds_hooks.fhir_server import FhirServer


@pytest.fixture
def fhir():
    """The EHR's FHIR server, on loopback."""
    server = FhirServer().start()
    yield server
    server.stop()


@pytest.fixture
def ehr(app, fhir):
    """The EHR registered as a CDS client, its FHIR server the loopback one."""
    return register_client(ISS, fhir.url, secret=SECRET)


class Hooks:
    """Signed calls to the CDS services."""

    def __init__(self, client):
        self.client = client

    def post(self, path: str, body: object, token: str | None = None, **changes):
        """POST /cds-services/<path> with a fresh token for its service (or `token`)."""
        service_id = path.split("/")[0]
        token = token if token is not None else sign(claims(service_id, **changes), SECRET)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(f"/cds-services/{path}", json=body, headers=headers)


@pytest.fixture
def hooks(client, ehr):
    """Calls signed by the registered EHR."""
    return Hooks(client)
