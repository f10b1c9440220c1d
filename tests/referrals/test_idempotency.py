"""Idempotency-Key: a retried create returns the same referral; a changed body is a 422."""

from sqlalchemy import func, select

from referrals.idempotency import body_digest
from referrals.models import IdempotencyKey, Referral
from tests.referrals.world import bearer, referral_payload, signed_in


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Referral))


def test_retry_returns_the_same_referral(pcp, world, db):
    body = referral_payload(world)
    first = pcp.post("/api/v1/referrals", json=body, headers={"Idempotency-Key": "abc-1"})
    again = pcp.post("/api/v1/referrals", json=body, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(db) == 1


def test_key_order_and_whitespace_do_not_change_the_digest(world):
    body = referral_payload(world)
    shuffled = dict(reversed(list(body.items())))
    assert body_digest(body) == body_digest(shuffled)


def test_same_key_with_another_body_is_422(pcp, world, db):
    headers = {"Idempotency-Key": "abc-2"}
    assert (
        pcp.post("/api/v1/referrals", json=referral_payload(world), headers=headers).status_code
        == 201
    )
    changed = referral_payload(world, urgency="urgent")
    response = pcp.post("/api/v1/referrals", json=changed, headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["message"]
    assert _count(db) == 1


def test_without_a_key_each_post_creates(pcp, world, db):
    body = referral_payload(world)
    pcp.post("/api/v1/referrals", json=body)
    pcp.post("/api/v1/referrals", json=body)
    assert _count(db) == 2


def test_keys_are_scoped_to_the_organization(app, pcp, world, db):
    other = signed_in(app, "pcp", world.other_pcp_org)
    headers = {"Idempotency-Key": "shared"}
    mine = pcp.post("/api/v1/referrals", json=referral_payload(world), headers=headers)
    theirs = other.post("/api/v1/referrals", json=referral_payload(world), headers=headers)
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    assert _count(db) == 2


def test_a_colleague_retrying_with_the_org_key_gets_the_same_referral(
    app, pcp, world, make_api_key
):
    key = make_api_key(world.pcp_org, ("referrals:read", "referrals:write"))
    client = app.test_client()
    headers = {"Idempotency-Key": "ehr-42", **bearer(key)}
    first = pcp.post("/api/v1/referrals", json=referral_payload(world), headers=headers)
    again = client.post("/api/v1/referrals", json=referral_payload(world), headers=headers)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_a_failed_create_does_not_burn_the_key(pcp, world, db):
    headers = {"Idempotency-Key": "abc-3"}
    bad = referral_payload(world, clinician_npi="1234567893")
    assert pcp.post("/api/v1/referrals", json=bad, headers=headers).status_code == 422
    assert db.session.scalars(select(IdempotencyKey)).all() == []
    good = referral_payload(world)
    assert pcp.post("/api/v1/referrals", json=good, headers=headers).status_code == 201


def test_overlong_key_is_rejected(pcp, world):
    headers = {"Idempotency-Key": "k" * 256}
    assert (
        pcp.post("/api/v1/referrals", json=referral_payload(world), headers=headers).status_code
        == 400
    )
