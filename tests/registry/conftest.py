"""Registry fixtures: the referral world, its signed-in clients, and an episode with history."""

from datetime import UTC, datetime, time, timedelta

from referrals import use_cases
from tests.referrals.conftest import clinician, world  # noqa: F401  (fixtures; pcp: actors.py)
from tests.referrals.world import referral_payload

# Answers scoring PHQ-9 totals: nine items, each 0..3.
PHQ9 = {
    20: [3, 3, 2, 2, 2, 2, 2, 2, 2],
    18: [2, 2, 2, 2, 2, 2, 2, 2, 2],
    14: [2, 2, 2, 2, 2, 1, 1, 1, 1],
    10: [2, 2, 1, 1, 1, 1, 1, 1, 0],
    8: [1, 1, 1, 1, 1, 1, 1, 1, 0],
    4: [1, 1, 1, 1, 0, 0, 0, 0, 0],
}


def at(day) -> datetime:
    """Mid-afternoon UTC on a local date: the same date in America/New_York."""
    return datetime.combine(day, time(17, 0), tzinfo=UTC)


def screen(actor, referral, day, total: int, instrument: str = "phq9"):
    """Record a PHQ-9 with this total on the referral, taken on `day`."""
    body = {"instrument": instrument, "answers": PHQ9[total], "referral_id": referral.id}
    return use_cases.record_screening(actor, body, at(day))


def referred(actor, w, day, **payload):
    """A referral sent on `day` (its episode opened with it)."""
    return use_cases.open_and_send(actor, referral_payload(w, **payload), [], at(day))


def attended(pcp_actor, clinician_actor, referral, day):
    """The referral accepted, scheduled for `day` and marked attended."""
    rid = referral.id
    use_cases.move(clinician_actor, rid, {"type": "accept"}, at(day), acknowledge_on_the_way=True)
    moment = at(day).isoformat()
    use_cases.move(clinician_actor, rid, {"type": "schedule", "appointment_at": moment}, at(day))
    use_cases.move(clinician_actor, rid, {"type": "attend"}, at(day) + timedelta(hours=1))
