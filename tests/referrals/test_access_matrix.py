"""Authorization matrix: every role x every referral route x own / other organization."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.models.verification import utcnow
from referrals.models import Referral
from tests.referrals.world import bearer, referral_payload, signed_in

SCOPES = ("referrals:read", "referrals:write")
# who -> (how they sign in, their organization when "own", when "other", extra user fields)
PRINCIPALS = {
    "pcp": ("user", "pcp", "pcp_org", "other_pcp_org"),
    "plan_staff": ("user", "plan_staff", "plan_org", "other_plan_org"),
    "clinician": ("user", "clinician", "practice", "other_practice"),
    "admin": ("user", "admin", "pcp_org", "other_pcp_org"),
    "partner_pcp": ("key", None, "pcp_org", "other_pcp_org"),
    "partner_practice": ("key", None, "practice", "other_practice"),
    "partner_plan": ("key", None, "plan_org", "other_plan_org"),
}
# How each principal stands to the referral (Riverside -> Jane at Harbor, Acme Gold member).
RELATION = {
    ("pcp", "own"): "referrer",
    ("plan_staff", "own"): "plan",
    ("clinician", "own"): "receiver",
    ("admin", "own"): "admin",
    ("admin", "other"): "admin",
    ("partner_pcp", "own"): "referrer",
    ("partner_practice", "own"): "receiver",
    ("partner_plan", "own"): "plan",
}
# The event each relation would naturally try.
EVENT_FOR = {"referrer": "cancel", "receiver": "acknowledge", "plan": "cancel", "admin": "cancel"}
MANAGERS = {"referrer", "admin"}
# Reads first, then writes, the lifecycle-changing ones last, so one referral serves them all.
ROUTES = ("read", "fhir", "list", "overdue", "checklist", "revoke", "event", "rerefer")
CASES = [(who, side) for who in PRINCIPALS for side in ("own", "other")]


def _principal(app, world, make_api_key, who, side):
    how, role, own_org, other_org = PRINCIPALS[who]
    org = getattr(world, own_org if side == "own" else other_org)
    if how == "key":
        if org.kind == "bh_practice":
            # A practice's key acts for its clinician users' NPIs.
            npi = world.jane.npi if side == "own" else world.omar.npi
            signed_in(app, "clinician", org, npi=npi)
        if org.kind == "health_plan":
            plan = world.plan if side == "own" else world.other_plan
            signed_in(app, "plan_staff", org, plans=[plan.id])
        return app.test_client(), bearer(make_api_key(org, SCOPES))
    extra = {}
    if role == "clinician":
        extra["npi"] = world.jane.npi if side == "own" else world.omar.npi
    if role == "plan_staff":
        extra["plans"] = [world.plan.id if side == "own" else world.other_plan.id]
    return signed_in(app, role, org, **extra), {}


def _sent_referral(app, world, db) -> int:
    author = signed_in(app, "pcp", world.pcp_org)
    consent = {"form_type": "practice_form", "recipients": ["Harbor Counseling"]}
    created = author.post("/api/v1/referrals", json=referral_payload(world, consent=consent))
    rid = created.get_json()["id"]
    assert author.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    referral = db.session.get(Referral, rid)
    referral.sent_at = utcnow() - timedelta(days=30)  # overdue for the work queue
    db.session.commit()
    return rid


def _call(client, headers, route, rid, world, relation):
    base = f"/api/v1/referrals/{rid}"
    if route == "read":
        return client.get(base, headers=headers)
    if route == "fhir":
        return client.get(f"{base}/fhir", headers=headers)
    if route == "list":
        return client.get("/api/v1/referrals", headers=headers)
    if route == "overdue":
        return client.get("/api/v1/referrals/overdue", headers=headers)
    if route == "event":
        event = EVENT_FOR.get(relation, "cancel")
        return client.post(f"{base}/events", json={"type": event}, headers=headers)
    if route == "rerefer":
        return client.post(
            f"{base}/rerefer", json={"clinician_npi": world.omar.npi}, headers=headers
        )
    if route == "checklist":
        return client.put(f"{base}/checklist/benefits_explained", json={}, headers=headers)
    return client.post(f"{base}/consent/revoke", headers=headers)


def _expected(route, relation) -> int:
    if relation is None:
        return 404
    if route in ("rerefer", "checklist", "revoke"):
        return {"rerefer": 201}.get(route, 200) if relation in MANAGERS else 403
    if route == "event":
        return 403 if relation == "plan" else 200
    return 200


def _check_route(db, response, route, rid, relation, headers) -> None:
    if route in ("list", "overdue"):
        assert response.status_code == 200, route
        ids = [item["id"] for item in response.get_json()["items"]]
        assert (rid in ids) is (relation is not None), route
        return
    assert response.status_code == _expected(route, relation), (route, response.get_json())
    last = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "referral", AuditEvent.object_id == str(rid))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert last.actor.startswith("apikey:" if headers else "user:"), route
    assert (last.outcome == "denied") is (response.status_code in (403, 404)), route


@pytest.mark.parametrize(("who", "side"), CASES)
def test_matrix(app, world, db, make_api_key, who, side):
    rid = _sent_referral(app, world, db)
    client, headers = _principal(app, world, make_api_key, who, side)
    relation = RELATION.get((who, side))
    for route in ROUTES:
        response = _call(client, headers, route, rid, world, relation)
        _check_route(db, response, route, rid, relation, headers)


@pytest.mark.parametrize("who", sorted(PRINCIPALS))
def test_who_may_open_a_referral(app, world, make_api_key, who):
    client, headers = _principal(app, world, make_api_key, who, "own")
    response = client.post("/api/v1/referrals", json=referral_payload(world), headers=headers)
    assert response.status_code == (403 if who == "clinician" else 201)


def test_receiver_sees_nothing_before_the_referral_is_sent(app, world, clinician):
    author = signed_in(app, "pcp", world.pcp_org)
    rid = author.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    assert clinician.get(f"/api/v1/referrals/{rid}").status_code == 404
    assert clinician.get("/api/v1/referrals").get_json()["items"] == []


@pytest.mark.parametrize(
    ("scopes", "method", "status"),
    [
        (("directory:read",), "get", 403),
        (("referrals:read",), "post", 403),
        (("referrals:read",), "get", 200),
    ],
)
def test_api_keys_need_the_referral_scope(app, world, make_api_key, scopes, method, status):
    key = make_api_key(world.pcp_org, scopes)
    client = app.test_client()
    if method == "get":
        response = client.get("/api/v1/referrals", headers=bearer(key))
    else:
        response = client.post(
            "/api/v1/referrals", json=referral_payload(world), headers=bearer(key)
        )
    assert response.status_code == status


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/referrals").status_code == 401
    assert client.get("/api/v1/referrals/1").status_code == 401
