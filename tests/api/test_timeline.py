"""GET /api/v1/episodes/{id}/timeline: every entry in date order, gated, scoped and audited."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.care_team import active_members
from tests.clock import service_today
from tests.referrals.world import actor_of, bearer, build_world, referral_payload, signed_in

T0 = datetime.combine(service_today() - timedelta(days=30), time(15, 0), tzinfo=UTC)
RETURN = {
    "diagnoses": ["F32.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {"change": "stopped", "name": "melatonin from the pharmacy"},
    ],
    "note": "Engaged well.",
}


def _day(days: int) -> str:
    return (T0 + timedelta(days=days)).date().isoformat()


@pytest.fixture
def world(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_world()


@pytest.fixture
def episode_id(app, world) -> int:
    """Sent with a GAD-7, acknowledged, a return, a goal and a task (through the use cases)."""
    doc = actor_of(signed_in(app, "pcp", world.pcp_org))
    jane = actor_of(signed_in(app, "clinician", world.practice, npi=world.jane.npi))
    referral = use_cases.open_and_send(doc, referral_payload(world), [], T0)
    screening = {"instrument": "gad7", "answers": [2, 2, 2, 2, 1, 1, 1], "referral_id": referral.id}
    use_cases.record_screening(doc, screening, T0 + timedelta(hours=1))
    use_cases.move(jane, referral.id, {"type": "acknowledge"}, T0 + timedelta(days=1))
    use_cases.send_return(jane, referral.id, RETURN, T0 + timedelta(days=2))
    eid = referral.episode_id
    (member,) = active_members(eid)
    use_cases.add_goal(doc, eid, {"text": "Back at work by spring"}, T0 + timedelta(days=3))
    task = {"description": "Phone check-in", "owner_id": member.id, "due_on": _day(10)}
    use_cases.add_task(doc, eid, task, T0 + timedelta(days=3, hours=1))
    return eid


def test_the_practice_reads_the_timeline_in_date_order(client, db, world, episode_id, make_api_key):
    key = make_api_key(world.pcp_org, scopes=("referrals:read",))

    response = client.get(f"/api/v1/episodes/{episode_id}/timeline", headers=bearer(key))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["episode_id"], body["patient"]["name"], body["withheld"]) == (
        episode_id,
        "Maria Lopez",
        [],
    )
    entries = body["entries"]
    assert [(e["kind"], e["on"], e["withheld"]) for e in entries] == [
        ("referral_event", _day(0), False),
        ("screening", _day(0), False),
        ("referral_event", _day(1), False),
        ("referral_return", _day(2), False),
        ("goal_created", _day(3), False),
        ("task_created", _day(3), False),
        ("task_due", _day(10), False),
    ]
    assert [entries[0]["event"]["to"], entries[2]["event"]["to"]] == ["sent", "acknowledged"]
    assert (entries[1]["screening"]["score"], entries[1]["screening"]["severity"]) == (
        11,
        "moderate",
    )
    assert [(m["name"], m["coded"]) for m in entries[3]["return"]["medications"]] == [
        ("sertraline 50 MG Oral Tablet", True),
        ("melatonin from the pharmacy", False),
    ]
    assert entries[4]["goal"]["text"] == "Back at work by spring"
    assert (entries[6]["at"], entries[6]["task"]["description"]) == (None, "Phone check-in")
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "timeline"))
    assert [(r.action, r.outcome, r.object_id) for r in rows] == [("read", "ok", str(episode_id))]


def test_another_organization_gets_404_audited_as_denied(
    client, db, world, episode_id, make_api_key
):
    other = make_api_key(world.other_pcp_org, scopes=("referrals:read",))

    response = client.get(f"/api/v1/episodes/{episode_id}/timeline", headers=bearer(other))

    assert response.status_code == 404
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "timeline"))
    assert [(r.action, r.outcome, r.object_id) for r in rows] == [
        ("read", "denied", str(episode_id))
    ]


def test_without_the_read_scope_the_timeline_is_refused(client, world, episode_id, make_api_key):
    key = make_api_key(world.pcp_org, scopes=("directory:read",))

    assert client.get(f"/api/v1/episodes/{episode_id}/timeline").status_code == 401
    assert (
        client.get(f"/api/v1/episodes/{episode_id}/timeline", headers=bearer(key)).status_code
        == 403
    )
