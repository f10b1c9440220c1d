"""SMART launch fixtures: the loopback EHR, its registration, a signed-in PCP, the launch steps."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from directory.extensions import db
from directory.models import Network
from smart.models import EhrRegistration
from tests.smart.ehr_server import CLIENT_ID, LAUNCH, EhrServer


@pytest.fixture(scope="session")
def _ehr_server():
    server = EhrServer().start()
    yield server
    server.stop()


@pytest.fixture
def ehr(_ehr_server):
    """The loopback EHR, behaving until a test says otherwise."""
    _ehr_server.reset()
    yield _ehr_server
    _ehr_server.reset()


@pytest.fixture
def registered(app, ehr):
    """The loopback EHR registered as a public client, and the plan its Coverage names."""
    db.session.add(Network(id="masscare-hmo", name="MassCare HMO", kind="plan"))
    row = EhrRegistration(issuer=ehr.iss, name="Test EHR", client_id=CLIENT_ID)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def pcp(auth):
    """A signed-in PCP."""
    return auth.login_as("pcp")


def start(client, ehr, launch: str = LAUNCH, iss: str | None = None):
    """GET /smart/launch as the EHR opens it."""
    return client.get("/smart/launch", query_string={"iss": iss or ehr.iss, "launch": launch})


def authorize(location: str) -> str:
    """Follow the app's redirect to the EHR's authorize endpoint; the app path it sends back."""
    answer = requests.get(location, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def launch(client, ehr):
    """The whole launch up to the app's answer to the callback."""
    started = start(client, ehr)
    assert started.status_code == 302, started.get_data(as_text=True)
    return client.get(authorize(started.headers["Location"]))
