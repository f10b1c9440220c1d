"""Follow-up: business days, the overdue work queue, expiry of abandoned referrals."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.business_days import add_business_days, federal_holidays, is_business_day
from directory.models.verification import utcnow
from referrals.followup import overdue_reason
from referrals.models import Referral
from tests.referrals.world import referral_payload

EASTERN = ZoneInfo("America/New_York")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=EASTERN)


def test_federal_holidays_of_2025_on_their_observed_days():
    holidays = federal_holidays(2025)
    assert date(2025, 1, 20) in holidays  # MLK Day, third Monday
    assert date(2025, 5, 26) in holidays  # Memorial Day, last Monday
    assert date(2025, 11, 27) in holidays  # Thanksgiving, fourth Thursday
    assert date(2025, 7, 4) in holidays
    assert len(holidays) == 11


def test_weekend_holidays_move_to_the_nearest_weekday():
    assert date(2026, 7, 3) in federal_holidays(2026)  # July 4 2026 is a Saturday
    assert date(2027, 12, 24) in federal_holidays(2027)  # Christmas 2027 is a Saturday
    assert date(2021, 12, 31) in federal_holidays(2022)  # New Year 2022 is a Saturday
    assert not is_business_day(date(2021, 12, 31))
    assert is_business_day(date(2021, 12, 31), holidays=False)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2025, 3, 3), 2, date(2025, 3, 5)),  # Monday -> Wednesday
        (date(2025, 3, 6), 2, date(2025, 3, 10)),  # Thursday -> Monday, weekend skipped
        (date(2025, 3, 8), 2, date(2025, 3, 11)),  # Saturday -> Tuesday
        (date(2025, 3, 3), 10, date(2025, 3, 17)),  # two working weeks
        (date(2025, 11, 26), 2, date(2025, 12, 1)),  # Thanksgiving and the weekend
    ],
)
def test_add_business_days(start, days, due):
    assert add_business_days(_at(start), days, EASTERN) == _at(due)


def _referral(status="sent", sent=None, urgency="routine"):
    return SimpleNamespace(status=status, sent_at=sent, urgency=urgency)


MONDAY = _at(date(2025, 3, 3))


@pytest.mark.parametrize(
    ("referral", "now", "expected"),
    [
        (_referral(sent=MONDAY), MONDAY + timedelta(days=1), None),
        (_referral(sent=MONDAY), MONDAY + timedelta(days=2), "not_acknowledged"),
        (_referral("acknowledged", MONDAY), MONDAY + timedelta(days=9), None),
        (_referral("acknowledged", MONDAY), MONDAY + timedelta(days=14), "no_appointment"),
        (_referral("accepted", MONDAY), MONDAY + timedelta(days=14), "no_appointment"),
        (_referral("sent", MONDAY), MONDAY + timedelta(days=14), "no_appointment"),
        (_referral("scheduled", MONDAY), MONDAY + timedelta(days=30), None),
        (_referral("draft", None), MONDAY + timedelta(days=30), None),
        (_referral("sent", MONDAY, "urgent"), MONDAY + timedelta(days=1), "not_acknowledged"),
        (_referral("acknowledged", MONDAY, "urgent"), MONDAY + timedelta(days=2), "no_appointment"),
    ],
)
def test_overdue_reason(referral, now, expected):
    found = overdue_reason(referral, now, EASTERN)
    assert (found[0] if found else None) == expected


def _sent(pcp, db, world, business_days: int) -> int:
    """A sent referral whose `business_days`-day clock ran out a moment ago (0: sent now)."""
    rid = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})
    referral = db.session.get(Referral, rid)
    now = utcnow()
    sent = now
    if business_days:
        while add_business_days(sent, business_days, EASTERN) > now - timedelta(minutes=1):
            sent -= timedelta(hours=6)
    referral.sent_at = sent
    db.session.commit()
    return rid


def test_work_queue_lists_overdue_referrals_with_the_reason(pcp, clinician, world, db):
    fresh = _sent(pcp, db, world, 0)
    unacknowledged = _sent(pcp, db, world, 2)
    no_appointment = _sent(pcp, db, world, 10)
    clinician.post(f"/api/v1/referrals/{no_appointment}/events", json={"type": "acknowledge"})
    body = pcp.get("/api/v1/referrals/overdue").get_json()
    reasons = {item["id"]: item["overdue"]["reason"] for item in body["items"]}
    assert reasons == {unacknowledged: "not_acknowledged", no_appointment: "no_appointment"}
    assert fresh not in reasons
    due = [item["overdue"]["due_at"] for item in body["items"]]
    assert due == sorted(due)


def test_expire_command_expires_abandoned_referrals(app, pcp, world, db, runner):
    stale = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    live = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    db.session.get(Referral, stale).updated_at = datetime.now(UTC) - timedelta(days=31)
    db.session.commit()
    result = runner.invoke(args=["referrals", "expire"])
    assert result.exit_code == 0, result.output
    assert "expired 1 referral" in result.output
    db.session.expire_all()
    assert db.session.get(Referral, stale).status == "expired"
    assert db.session.get(Referral, live).status == "draft"
    event = db.session.get(Referral, stale).events[-1]
    assert (event.type, event.actor, event.from_status) == ("expire", "system", "draft")
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "event:expire")
    ).one()
    assert (audited.actor, audited.object_id) == ("system", str(stale))


def test_overdue_command_prints_counts_only(pcp, world, db, runner):
    _sent(pcp, db, world, 3)
    result = runner.invoke(args=["referrals", "overdue"])
    assert result.exit_code == 0
    assert "not_acknowledged: 1" in result.output
    assert "Maria" not in result.output
