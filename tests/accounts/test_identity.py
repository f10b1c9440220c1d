"""The Actor each kind of caller becomes."""

import pytest

from accounts.identity import Actor, require_scope
from directory.models import Network, Organization
from tests.accounts.probes import mount_probes


@pytest.fixture
def probes(app):
    mount_probes(app)
    return app


def test_bh_practice_key_acts_for_its_clinicians(probes, client, auth, make_api_key, db):
    practice = Organization(name="Cedar Counseling", kind="bh_practice")
    elsewhere = Organization(name="Birch Therapy", kind="bh_practice")
    db.session.add_all([practice, elsewhere])
    db.session.commit()
    auth.create_user("clinician", org=practice, npi="1234567893")
    auth.create_user("clinician", org=practice, npi="1245319599")
    auth.create_user("admin", org=practice)
    auth.create_user("clinician", org=elsewhere, npi="1003000126")
    key = make_api_key(practice, ["referrals:read", "referrals:write"])
    body = client.get("/api/v1/_probe/any", headers={"Authorization": f"Bearer {key}"}).json
    assert body["npis"] == ["1234567893", "1245319599"]
    assert body["organization_id"] == practice.id
    assert body["scopes"] == ["referrals:read", "referrals:write"]
    assert body["plan_ids"] == []


def test_deactivated_clinician_no_longer_counts_for_the_key(probes, client, auth, make_api_key, db):
    practice = Organization(name="Cedar Counseling", kind="bh_practice")
    db.session.add(practice)
    user = auth.create_user("clinician", org=practice, npi="1234567893")
    user.active = False
    db.session.commit()
    key = make_api_key(practice, "referrals:read")
    body = client.get("/api/v1/_probe/any", headers={"Authorization": f"Bearer {key}"}).json
    assert body["npis"] == []


def test_clinician_session_actor(probes, client, auth):
    user = auth.login_as("clinician", npi="1234567893")
    body = client.get("/api/v1/_probe/any").json
    assert body == {
        "kind": "user",
        "id": user.id,
        "role": "clinician",
        "organization_id": user.organization_id,
        "npis": ["1234567893"],
        "plan_ids": [],
        "scopes": ["directory:read", "referrals:read", "referrals:write"],
        "label": f"user:{user.id}",
        "program_organization_id": None,
    }
    assert "@" not in body["label"]


def test_plan_staff_actor_carries_their_plans(probes, client, auth, db):
    db.session.add(Network(id="AcmeHMO", name="Acme HMO", kind="plan"))
    db.session.commit()
    auth.login_as("plan_staff", plans=["AcmeHMO"])
    body = client.get("/api/v1/_probe/any").json
    assert body["role"] == "plan_staff"
    assert body["plan_ids"] == ["AcmeHMO"]
    assert body["npis"] == []


def test_health_plan_key_carries_the_plans(probes, client, auth, make_api_key, db):
    db.session.add(Network(id="AcmeHMO", name="Acme HMO", kind="plan"))
    db.session.commit()
    staff = auth.create_user("plan_staff", plans=["AcmeHMO"])
    key = make_api_key(staff.organization, "referrals:read")
    body = client.get("/api/v1/_probe/any", headers={"Authorization": f"Bearer {key}"}).json
    assert body["plan_ids"] == ["AcmeHMO"]


def test_anonymous_has_no_actor(probes, client):
    assert client.get("/api/v1/_probe/any").status_code == 401


def test_actor_is_immutable_and_unknown_scopes_are_a_programming_error():
    actor = Actor(
        "user", 1, "pcp", 2, frozenset(), frozenset(), frozenset({"referrals:read"}), "user:1"
    )
    assert actor.has_scope("referrals:read") and not actor.has_scope("referrals:write")
    with pytest.raises(AttributeError):
        actor.role = "admin"
    with pytest.raises(ValueError):
        require_scope("referrals:delete")
