"""GET /api/v1/episodes/{id}: the patient's referrals and screenings, scoped and audited."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from tests.referrals.world import bearer, build_world, referral_payload


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def pcp_key(world, make_api_key):
    return make_api_key(world.pcp_org, scopes=("referrals:read", "referrals:write"))


def _referral(client, key, world, **overrides) -> dict:
    body = referral_payload(world, **overrides)
    response = client.post("/api/v1/referrals", json=body, headers=bearer(key))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_the_episode_shows_the_patient_its_referrals_and_screenings(client, world, pcp_key):
    first = _referral(client, pcp_key, world)
    second = _referral(client, pcp_key, world, clinician_npi=world.omar.npi, location_id=None)
    screening = client.post(
        "/api/v1/screenings",
        json={"instrument": "gad7", "answers": [2, 2, 2, 2, 1, 1, 1], "referral_id": first["id"]},
        headers=bearer(pcp_key),
    ).get_json()

    response = client.get(f"/api/v1/episodes/{first['episode_id']}", headers=bearer(pcp_key))

    assert response.status_code == 200
    body = response.get_json()
    assert second["episode_id"] == first["episode_id"] == body["id"]
    assert body["organization"] == {"id": world.pcp_org.id, "name": "Riverside Primary Care"}
    assert body["plan"] == "AcmeGold"
    assert body["patient"] == {
        "name": "Maria Lopez",
        "birth_date": "1988-04-12",
        "member_id": "ACME123456",
    }
    assert [r["id"] for r in body["referrals"]] == [first["id"], second["id"]]
    assert body["referrals"][0]["reason"] == "Low mood and poor sleep for three months"
    [shown] = body["screenings"]
    assert (shown["id"], shown["referral_id"], shown["instrument"]) == (
        screening["id"],
        first["id"],
        "gad7",
    )
    assert (shown["score"], shown["severity"], shown["positive"]) == (11, "moderate", True)


def test_another_organization_gets_404_and_the_refusal_is_audited(
    client, db, world, pcp_key, make_api_key
):
    episode_id = _referral(client, pcp_key, world)["episode_id"]
    other = make_api_key(world.other_pcp_org, scopes=("referrals:read",))

    response = client.get(f"/api/v1/episodes/{episode_id}", headers=bearer(other))

    assert response.status_code == 404
    assert response.get_json()["title"] == "Not Found"
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "episode"))
    assert [(r.action, r.outcome, r.object_id) for r in rows] == [
        ("read", "denied", str(episode_id))
    ]


def test_without_a_key_the_episode_is_401(client, world, pcp_key):
    episode_id = _referral(client, pcp_key, world)["episode_id"]

    assert client.get(f"/api/v1/episodes/{episode_id}").status_code == 401
