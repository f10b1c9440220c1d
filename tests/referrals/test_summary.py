"""The referral summary: kept by every flush that writes its inputs, rebuilt the same by the CLI."""

import statistics
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from accounts.identity import actor_for_user
from directory.extensions import db
from referrals.funnel import p90
from referrals.funnel_tally import median_of, p90_of
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.summary_models import ReferralSummary
from referrals.use_cases.funnel import funnel_figures
from screening.models import ScreeningResult
from tests.referrals.world import build_world, signed_in

EASTERN = ZoneInfo("America/New_York")
# Friday 28 February 2025, 16:00 local: two business days on is Tuesday 4 March.
FRIDAY = datetime(2025, 2, 28, 16, tzinfo=EASTERN)


def _event(kind: str, at: datetime, booked: datetime | None = None) -> ReferralEvent:
    return ReferralEvent(
        type=kind, from_status="x", to_status="y", actor="user:1", actor_role="pcp",
        at=at.astimezone(UTC), appointment_at=booked.astimezone(UTC) if booked else None,
    )  # fmt: skip


def _referral(w, born: date = date(2010, 3, 1), **fields) -> Referral:
    referral = Referral(
        status="draft", referring_organization_id=w.pcp_org.id, clinician_id=w.jane.id,
        created_by="user:1", patient_name="Test Patient", patient_birth_date=born,
        reason="Low mood", **fields,
    )  # fmt: skip
    db.session.add(referral)
    db.session.commit()
    return referral


def _row(referral: Referral) -> ReferralSummary | None:
    db.session.expire_all()
    return db.session.get(ReferralSummary, referral.id)


def _columns(row: ReferralSummary) -> dict:
    return {c.key: getattr(row, c.key) for c in ReferralSummary.__table__.columns}


def test_a_draft_has_no_row_and_sending_writes_one(app):
    w = build_world()
    referral = _referral(w, plan_id="AcmeGold", patient_postal_code="00501")
    assert _row(referral) is None
    referral.events.append(_event("send", FRIDAY))
    db.session.commit()
    row = _row(referral)
    assert (row.plan_id, row.clinician_id, row.kind, row.urgency) == (
        "AcmeGold", w.jane.id, "bh_clinician", "routine",
    )  # fmt: skip
    assert (row.age_band, row.county_type, row.race_ethnicity) == (
        "12-17",
        "Large Metro",
        "unknown",
    )
    assert (row.acknowledged, row.scheduled, row.days_to_acknowledge) == (False, False, None)
    assert row.zone == "America/New_York"


def test_each_new_event_rewrites_the_row_in_its_flush(app):
    w = build_world()
    referral = _referral(w)
    referral.events.append(_event("send", FRIDAY))
    # Acknowledged at the last moment of the standard; booked for 14 days on (10 business days).
    referral.events.append(_event("acknowledge", FRIDAY + timedelta(days=4)))
    referral.events.append(_event("schedule", FRIDAY + timedelta(days=5), FRIDAY + timedelta(14)))
    referral.events.append(_event("schedule", FRIDAY + timedelta(days=6), FRIDAY + timedelta(2)))
    db.session.flush()
    row = db.session.get(ReferralSummary, referral.id)
    assert (row.acknowledged, row.days_to_acknowledge, row.acknowledged_in_time) == (True, 4, True)
    # The first booking counts, not the reschedule.
    assert (row.scheduled, row.days_to_appointment, row.appointment_in_time) == (True, 14, True)
    referral.events.append(_event("attend", FRIDAY + timedelta(days=14)))
    db.session.commit()
    assert _row(referral).attended is True


def test_late_by_a_minute_is_not_in_time(app):
    w = build_world()
    referral = _referral(w)
    referral.events.append(_event("send", FRIDAY))
    referral.events.append(_event("acknowledge", FRIDAY + timedelta(days=4, minutes=1)))
    db.session.commit()
    assert (_row(referral).days_to_acknowledge, _row(referral).acknowledged_in_time) == (4, False)


def test_keys_follow_the_referral_and_its_race_rows(app):
    w = build_world()
    referral = _referral(w, plan_id="AcmeGold", patient_postal_code="00501")
    referral.events.append(_event("send", FRIDAY))
    db.session.commit()
    referral.patient_postal_code, referral.plan_id = "00606", "BeaconPPO"
    db.session.add(RaceEthnicity(referral_id=referral.id, category="asian"))
    db.session.commit()
    assert (_row(referral).county_type, _row(referral).plan_id) == ("Rural", "BeaconPPO")
    assert _row(referral).race_ethnicity == "asian"
    db.session.add(RaceEthnicity(referral_id=referral.id, category="white"))
    db.session.commit()
    assert _row(referral).race_ethnicity == "multiple"


def test_removing_the_send_removes_the_row(app):
    w = build_world()
    referral = _referral(w)
    referral.events.append(_event("send", FRIDAY))
    db.session.commit()
    db.session.delete(referral.events[0])
    db.session.commit()
    assert _row(referral) is None


def _history(w) -> list[Referral]:
    """Sent at 7-hour steps from Friday 16:00 Eastern (some after 20:00: Saturday in UTC)."""
    referrals = []
    for i in range(14):
        # 18 on 1 March: the band depends on which zone's day the referral was sent.
        referral = _referral(w, born=date(2007, 3, 1), plan_id="AcmeGold" if i % 2 else None)
        sent = FRIDAY + timedelta(hours=7 * i)
        referral.events.append(_event("send", sent))
        morning = datetime.combine(sent.date() + timedelta(days=1 + i % 5), time(9), EASTERN)
        referral.events.append(_event("acknowledge", morning))
        booked = morning + timedelta(days=3 + i)
        referral.events.append(_event("schedule", sent + timedelta(days=1), booked))
        referrals.append(referral)
    db.session.commit()
    return referrals


def test_the_rebuild_command_writes_the_same_rows_and_can_run_twice(app, runner):
    referrals = _history(build_world())
    kept = {r.id: _columns(_row(r)) for r in referrals}
    db.session.execute(delete(ReferralSummary))
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["referrals", "rebuild-summary"])
        assert result.exit_code == 0 and "summary rebuilt" in result.output
        db.session.expire_all()
        rows = db.session.scalars(select(ReferralSummary)).all()
        assert {row.referral_id: _columns(row) for row in rows} == kept


@pytest.mark.parametrize("group_by", ["plan", "age_band"])
def test_rows_of_another_zone_are_counted_again_in_the_reports(app, runner, group_by):
    """Rows written in Eastern time, read in UTC, give what rows written in UTC give."""
    w = build_world()
    _history(w)
    admin = actor_for_user(signed_in(app, "admin", w.pcp_org).user)
    period = (date(2025, 2, 1), date(2025, 3, 31))
    redone = funnel_figures(admin, group_by, *period, ZoneInfo("UTC"))
    app.config["REFERRAL_TIMEZONE"] = "UTC"
    assert runner.invoke(args=["referrals", "rebuild-summary"]).exit_code == 0
    assert {row.zone for row in db.session.scalars(select(ReferralSummary))} == {"UTC"}
    assert funnel_figures(admin, group_by, *period, ZoneInfo("UTC")) == redone
    # Eastern and UTC disagree on some of these days, so the slow path did real work.
    assert funnel_figures(admin, group_by, *period, EASTERN) != redone


@pytest.mark.parametrize(
    ("values", "median", "p90_value"),
    [
        ([3], 3, 3),
        ([3, 5], 4.0, 5),
        ([4, 1, 1, 9], 2.5, 9),
        ([2] * 11 + [30], 2.0, 2),
        (list(range(70)), 34.5, 62),  # rank 63 of 70
    ],
)
def test_histogram_median_and_p90_are_those_of_the_values(values, median, p90_value):
    histogram = Counter((value, value % 2 == 0) for value in values)
    assert median_of(histogram) == median == statistics.median(values)
    assert type(median_of(histogram)) is type(statistics.median(values))
    assert p90_of(histogram) == p90_value == p90(values)


def test_an_empty_histogram_has_no_figures():
    assert (median_of(Counter()), p90_of(Counter())) == (None, None)


def test_a_positive_screen_and_a_visit_eight_days_on_are_followed_up_in_30_only(app):
    w = build_world()
    referral = _referral(w)
    referral.events.append(_event("send", FRIDAY))
    db.session.commit()
    db.session.add(
        ScreeningResult(referral_id=referral.id, instrument="phq9", answers=[3] * 9, score=27,
                        positive=True, created_by="user:1", created_at=FRIDAY.astimezone(UTC))
    )  # fmt: skip
    db.session.commit()
    row = _row(referral)
    assert (row.positive_screen_on, row.follow_up_7_days, row.follow_up_30_days) == (
        date(2025, 2, 28), False, False,
    )  # fmt: skip
    referral.events.append(_event("attend", FRIDAY + timedelta(days=8)))
    db.session.commit()
    assert (_row(referral).follow_up_7_days, _row(referral).follow_up_30_days) == (False, True)
