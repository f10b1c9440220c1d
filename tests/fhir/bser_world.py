"""The BSeR tests' world: the referral world, a partner PCP's key, the spec example message."""

from __future__ import annotations

import copy
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "bser"
EXAMPLE = DATA / "referral-message-eve-everywoman.json"
FHIR_JSON = "application/fhir+json"


def example() -> dict:
    """A fresh copy of the spec example (adapted to a BH referral to Jane Smith)."""
    return copy.deepcopy(json.loads(EXAMPLE.read_text()))


def resource(bundle: dict, kind: str) -> dict:
    """The first top-level resource of `kind` in a Bundle."""
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


def post(client, key: str, bundle) -> object:
    """POST the message to $process-message with the partner's key."""
    return client.post(
        "/fhir/$process-message",
        data=json.dumps(bundle),
        content_type=FHIR_JSON,
        headers={"Authorization": f"Bearer {key}"},
    )


def get(client, key: str, url: str):
    """GET a /fhir URL with a key."""
    return client.get(url, headers={"Authorization": f"Bearer {key}"})
