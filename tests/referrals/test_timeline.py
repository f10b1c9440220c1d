"""The patient timeline: every kind of entry in date order, each gated as its page gates it."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.care_team import active_members
from referrals.errors import NotFound
from tests.clock import service_today
from tests.referrals.world import actor_of, referral_payload, signed_in, sud_payload

# Mid-morning in the service's zone, 40 days ago.
T0 = datetime.combine(service_today() - timedelta(days=40), time(15, 0), tzinfo=UTC)
PHQ9 = [2, 2, 2, 2, 2, 2, 2, 1, 1]  # 16: moderately severe
RETURN = {
    "diagnoses": ["F32.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {"change": "stopped", "name": "melatonin from the pharmacy"},
    ],
    "treatment": "Weekly CBT for 12 weeks",
    "note": "Engaged well.",
}
SUD_RETURN = {
    "medications": [{"change": "started", "name": "buprenorphine 8 mg", "rxnorm": "351264"}],
    "note": "Started buprenorphine for opioid use disorder.",
}


def _sud_payload(world) -> dict:
    """A Part 2 referral naming Jane, its consent signed before the referral went out."""
    return sud_payload(world, signed_on=(service_today() - timedelta(days=60)).isoformat())


def _at(days: int, hours: int = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def _day(days: int) -> str:
    return (T0 + timedelta(days=days)).date().isoformat()


def _last_audit_id(db) -> int:
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def _audit(db, after: int, object_type: str):
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.id > after, AuditEvent.object_type == object_type)
        .order_by(AuditEvent.id)
    )
    return [(r.action, r.object_id, r.outcome) for r in rows]


def _lifecycle(pcp, clinician, payload, body) -> int:
    """Sent with a PHQ-9; acknowledged, scheduled, attended; a return; a goal and a done task."""
    doc, jane = actor_of(pcp), actor_of(clinician)
    referral = use_cases.open_and_send(doc, payload, [], _at(0))
    screening = {"instrument": "phq9", "answers": PHQ9, "referral_id": referral.id}
    use_cases.record_screening(doc, screening, _at(0, 1))
    use_cases.move(jane, referral.id, {"type": "acknowledge"}, _at(1))
    use_cases.move(jane, referral.id, {"type": "accept"}, _at(1, 1))
    slot = {"type": "schedule", "appointment_at": _at(7).isoformat()}
    use_cases.move(jane, referral.id, slot, _at(2))
    use_cases.move(jane, referral.id, {"type": "attend"}, _at(7))
    use_cases.send_return(jane, referral.id, body, _at(7, 2))
    eid = referral.episode_id
    (member,) = active_members(eid)
    use_cases.add_goal(doc, eid, {"text": "Sleep through the night"}, _at(8))
    task = {"description": "Call after week 4", "owner_id": member.id, "due_on": _day(29)}
    written = use_cases.add_task(doc, eid, task, _at(8, 1))
    use_cases.change_task(doc, eid, written.item.id, {"status": "done"}, _at(9))
    return eid


def _kinds(timeline):
    found = []
    for entry in timeline.entries:
        detail = entry.item.to_status if entry.kind == "referral_event" else None
        found.append((entry.kind, detail, entry.on.isoformat(), entry.shown))
    return found


def test_the_timeline_lists_each_kind_of_entry_in_date_order(db, pcp, clinician, world):
    eid = _lifecycle(pcp, clinician, referral_payload(world), RETURN)
    before = _last_audit_id(db)

    timeline = use_cases.read_timeline(actor_of(pcp), eid)

    assert _kinds(timeline) == [
        ("referral_event", "sent", _day(0), True),
        ("screening", None, _day(0), True),
        ("referral_event", "acknowledged", _day(1), True),
        ("referral_event", "accepted", _day(1), True),
        ("referral_event", "scheduled", _day(2), True),
        ("referral_event", "attended", _day(7), True),
        ("referral_return", None, _day(7), True),
        ("goal_created", None, _day(8), True),
        ("task_created", None, _day(8), True),
        ("task_done", None, _day(9), True),
        ("task_due", None, _day(29), True),
    ]
    result, scored = timeline.entries[1].item
    assert (result.instrument, scored.score, scored.severity) == ("phq9", 16, "moderately severe")
    returned = timeline.entries[6].item.row
    assert returned.medications == [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {"change": "stopped", "name": "melatonin from the pharmacy", "rxnorm": None},
    ]
    assert timeline.shows_part2 is False
    # One timeline event per view, beside the records it discloses (as the referral page does).
    assert _audit(db, before, "timeline") == [("read", str(eid), "ok")]
    # A return is the clinician's record: disclosed to the referring side, as on its page.
    assert _audit(db, before, "referral_return") == [("disclose", str(returned.id), "ok")]
    assert _audit(db, before, "screening") == [("read", str(result.id), "ok")]


def test_a_due_date_comes_after_what_happened_that_day(db, pcp, clinician, world):
    eid = _lifecycle(pcp, clinician, referral_payload(world), RETURN)
    doc = actor_of(pcp)
    (member,) = active_members(eid)
    task = {"description": "Recheck PHQ-9", "owner_id": member.id, "due_on": _day(9)}
    use_cases.add_task(doc, eid, task, _at(9, 2))

    kinds = [(e.kind, e.on.isoformat()) for e in use_cases.read_timeline(doc, eid).entries]

    assert kinds[-4:] == [
        ("task_done", _day(9)),
        ("task_created", _day(9)),
        ("task_due", _day(9)),
        ("task_due", _day(29)),
    ]


@pytest.fixture
def omar_on_the_team(app, db, pcp, world):
    """Omar, a second BH clinician the practice put on the team, signed in."""

    def add(eid: int):
        body = {"role": "bh_clinician", "npi": world.omar.npi}
        use_cases.add_member(actor_of(pcp), eid, body, _at(10))
        return signed_in(app, "clinician", world.other_practice, npi=world.omar.npi)

    return add


def test_a_part2_return_is_withheld_from_a_member_the_consent_does_not_name(
    db, pcp, clinician, world, omar_on_the_team
):
    eid = _lifecycle(pcp, clinician, _sud_payload(world), SUD_RETURN)
    omar = omar_on_the_team(eid)
    before = _last_audit_id(db)

    timeline = use_cases.read_timeline(actor_of(omar), eid)

    (seen,) = [e.item for e in timeline.entries if e.kind == "referral_return"]
    assert (seen.row.part2, seen.allowed) == (True, False)
    assert seen.problems == {"part2": "no 42 CFR part 2 consent on this episode names this member"}
    # Omar stands to none of the episode's referrals: no steps, no screenings reach him.
    assert {e.kind for e in timeline.entries} == {
        "referral_return",
        "goal_created",
        "task_created",
        "task_done",
        "task_due",
    }
    assert timeline.shows_part2 is False
    assert _audit(db, before, "referral_return") == [("disclose", str(seen.row.id), "blocked")]
    assert _audit(db, before, "timeline") == [("disclose", str(eid), "ok")]


def test_any_return_on_a_part2_referral_is_withheld_from_a_member_the_consent_does_not_name(
    db, pcp, clinician, world, omar_on_the_team
):
    eid = _lifecycle(pcp, clinician, _sud_payload(world), RETURN)
    omar = omar_on_the_team(eid)

    timeline = use_cases.read_timeline(actor_of(omar), eid)

    (seen,) = [e.item for e in timeline.entries if e.kind == "referral_return"]
    assert (seen.row.part2, seen.row.referral.part2, seen.allowed) == (False, True, False)


def test_an_ordinary_return_reaches_a_member_under_the_care_plan_rule(
    db, pcp, clinician, world, omar_on_the_team
):
    eid = _lifecycle(pcp, clinician, referral_payload(world), RETURN)
    omar = omar_on_the_team(eid)

    timeline = use_cases.read_timeline(actor_of(omar), eid)

    (seen,) = [e.item for e in timeline.entries if e.kind == "referral_return"]
    assert (seen.allowed, seen.row.diagnoses) == (True, ["F32.1"])


def test_the_named_clinician_sees_her_part2_return(db, pcp, clinician, world):
    eid = _lifecycle(pcp, clinician, _sud_payload(world), SUD_RETURN)

    timeline = use_cases.read_timeline(actor_of(clinician), eid)

    (seen,) = [e.item for e in timeline.entries if e.kind == "referral_return"]
    assert (seen.row.part2, seen.allowed, timeline.shows_part2) == (True, True, True)


@pytest.mark.parametrize("who", ["other_pcp", "omar"])
def test_an_outsider_gets_not_found_audited_as_denied(app, db, pcp, clinician, world, who):
    eid = _lifecycle(pcp, clinician, referral_payload(world), RETURN)
    outsider = (
        signed_in(app, "pcp", world.other_pcp_org)
        if who == "other_pcp"
        else signed_in(app, "clinician", world.other_practice, npi=world.omar.npi)
    )
    before = _last_audit_id(db)

    with pytest.raises(NotFound):
        use_cases.read_timeline(actor_of(outsider), eid)

    assert _audit(db, before, "timeline") == [("read", str(eid), "denied")]
    assert _audit(db, before, "referral_return") == []
