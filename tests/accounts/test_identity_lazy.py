"""An Actor's npis and plan_ids load on first read, fresh on every request."""

from dataclasses import FrozenInstanceError, asdict

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from accounts.identity import Actor
from accounts.models import ApiKey, organization_plan
from directory.models import Network, Organization
from tests.accounts.probes import mount_probes


@pytest.fixture
def probes(app):
    mount_probes(app)
    return app


def _bearer(key):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def statements():
    """The SQL statements any engine runs while the test runs, in order."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


def _actor(npis, plan_ids):
    return Actor("api_key", 1, "partner", 2, npis, plan_ids, frozenset(), "apikey:x")


def test_a_loader_runs_once_on_first_read():
    calls = []

    def load():
        calls.append("npis")
        return {"1234567893"}

    actor = _actor(load, frozenset({"AcmeHMO"}))
    assert calls == []
    assert actor.npis == frozenset({"1234567893"}) and actor.npis is actor.npis
    assert calls == ["npis"]
    assert asdict(actor)["plan_ids"] == frozenset({"AcmeHMO"})
    with pytest.raises(FrozenInstanceError):
        actor.npis = frozenset()
    assert actor == _actor(frozenset({"1234567893"}), frozenset({"AcmeHMO"}))


def test_a_request_that_never_reads_them_runs_no_such_query(
    secure_client, make_api_key, statements
):
    key = make_api_key("Partner EHR", "directory:read")
    statements.clear()
    # The rate limit resolves the key (secure_client has limits on); the route reads neither.
    assert secure_client.get("/api/v1/languages", headers=_bearer(key)).status_code == 200
    assert any("FROM api_key" in s for s in statements)
    assert not any("organization_plan" in s or "app_user" in s for s in statements)


def test_clinicians_and_plans_added_between_requests_count_on_the_next(
    probes, client, auth, make_api_key, db
):
    db.session.add(Network(id="AcmeHMO", name="Acme HMO", kind="plan"))
    org = Organization(name="Cedar Counseling", kind="bh_practice")
    db.session.add(org)
    db.session.commit()
    key = make_api_key(org, "referrals:read")
    first = client.get("/api/v1/_probe/any", headers=_bearer(key)).json
    assert (first["npis"], first["plan_ids"]) == ([], [])
    auth.create_user("clinician", org=org, npi="1234567893")
    db.session.execute(
        organization_plan.insert().values(organization_id=org.id, network_id="AcmeHMO")
    )
    db.session.commit()
    second = client.get("/api/v1/_probe/any", headers=_bearer(key)).json
    assert (second["npis"], second["plan_ids"]) == (["1234567893"], ["AcmeHMO"])


def test_a_key_changed_elsewhere_counts_on_the_next_request(probes, client, make_api_key, db):
    key = make_api_key("Partner EHR", "directory:read")
    assert client.get("/api/v1/_probe/referrals_read", headers=_bearer(key)).status_code == 403
    # Another process (the CLI, a second worker) changes the key: nothing of it is cached here.
    with db.engine.begin() as connection:
        connection.execute(update(ApiKey).values(scopes=["referrals:read"]))
    assert client.get("/api/v1/_probe/referrals_read", headers=_bearer(key)).status_code == 200
    with db.engine.begin() as connection:
        connection.execute(update(ApiKey).values(revoked_at=db.func.now()))
    assert client.get("/api/v1/_probe/any", headers=_bearer(key)).status_code == 401


def test_the_key_actor_is_labelled_as_the_key_is(probes, client, make_api_key, db):
    key = make_api_key("Partner EHR", "directory:read")
    body = client.get("/api/v1/_probe/any", headers=_bearer(key)).json
    row = db.session.scalar(select(ApiKey))
    assert (body["label"], body["id"]) == (row.label, row.id)
