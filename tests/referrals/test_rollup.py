"""The funnel rollup: kept by every flush, rebuilt the same, and the funnel read from it exact."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from accounts.identity import actor_for_user
from directory.extensions import db
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.rollup import KEYS, VALUES
from referrals.summary_models import ReferralRollup, ReferralSummary
from referrals.use_cases.funnel import funnel_figures
from screening.models import ScreeningResult
from tests.referrals.world import build_world, signed_in

EASTERN = ZoneInfo("America/New_York")
GROUPS = ("plan", "language", "county_type", "age_band", "race_ethnicity", "kind", "urgency")
MONTH_ENDS = (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31))
PERIODS = (
    (date(2025, 1, 1), date(2025, 12, 31)),  # whole months only
    (date(2025, 1, 17), date(2025, 3, 9)),  # whole February, edge days read per row
    (date(2025, 2, 1), date(2025, 2, 27)),  # no whole month: every row read
)


def _event(kind: str, at: datetime, booked: datetime | None = None) -> ReferralEvent:
    return ReferralEvent(
        type=kind, from_status="x", to_status="y", actor="user:1", actor_role="pcp",
        at=at.astimezone(UTC), appointment_at=booked.astimezone(UTC) if booked else None,
    )  # fmt: skip


def _referral(w, sent: datetime, org=None, **fields) -> Referral:
    fields.setdefault("patient_birth_date", date(1990, 3, 1))
    referral = Referral(
        status="draft", referring_organization_id=(org or w.pcp_org).id, clinician_id=w.jane.id,
        created_by="user:1", patient_name="Test Patient", reason="Low mood", **fields,
    )  # fmt: skip
    referral.events.append(_event("send", sent))
    db.session.add(referral)
    return referral


def _path(rng: random.Random, referral: Referral, sent: datetime) -> None:
    """Acknowledged, booked, seen, declined or expired at varied days after sending."""
    roll = rng.random()
    if roll < 0.15:
        referral.events.append(_event("expire", sent + timedelta(days=30)))
        return
    ack = sent + timedelta(hours=rng.randint(1, 150))
    referral.events.append(_event("acknowledge", ack))
    if roll < 0.3:
        referral.events.append(_event("decline", ack + timedelta(hours=1)))
        return
    if roll < 0.85:
        booked = sent + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
        referral.events.append(_event("schedule", ack + timedelta(hours=2), booked))
        referral.events.append(_event("attend" if roll < 0.7 else "no_show", booked))


def _varied(w, count: int = 60, seed: int = 7) -> list[Referral]:
    """Referrals over January to April 2025 with every key, stage and follow-up varied."""
    rng, made = random.Random(seed), []
    for i in range(count):
        sent = datetime(2025, 1, 1, tzinfo=EASTERN) + timedelta(minutes=rng.randint(0, 172_800))
        if i % 10 == 0:  # the last local hour of a month: already the next month in UTC
            sent = datetime.combine(MONTH_ENDS[i // 20 % 3], time(23, 30), EASTERN)
        plan = rng.choice(("AcmeGold", "AcmeGold", "BeaconPPO", None))
        referral = _referral(
            w, sent, org=w.plan_org if i % 13 == 0 else None, plan_id=plan,
            patient_member_id=rng.choice(("M1", "M2", "  ", None)),
            patient_preferred_language=rng.choice(("en", "es", None)),
            patient_postal_code=rng.choice(("00501", "00606", None)),
            patient_birth_date=date(1950 + rng.randint(0, 60), 1 + i % 12, 1),
            urgency=rng.choice(("routine", "urgent")),
        )  # fmt: skip
        _path(rng, referral, sent)
        for category in rng.sample(
            ("asian", "white", "black_or_african_american"), rng.choice((0, 1, 1, 2))
        ):
            referral.race_ethnicity.append(RaceEthnicity(category=category))
        db.session.flush()
        if rng.random() < 0.3:
            db.session.add(
                ScreeningResult(referral_id=referral.id, instrument="phq9", answers=[2] * 9,
                                score=18, positive=True, created_by="user:1",
                                created_at=(sent - timedelta(hours=1)).astimezone(UTC))
            )  # fmt: skip
        made.append(referral)
    db.session.commit()
    return made


def _both(app, actor, group_by: str, period) -> tuple:
    """The funnel figures read through the rollup, and from every summary row."""
    app.config["FUNNEL_ROLLUP"] = True
    rolled = funnel_figures(actor, group_by, *period, EASTERN)
    app.config["FUNNEL_ROLLUP"] = False
    per_row = funnel_figures(actor, group_by, *period, EASTERN)
    app.config["FUNNEL_ROLLUP"] = True
    return rolled, per_row


def _cells() -> dict:
    """The rollup's cells that count any referral, key -> counts."""
    db.session.expire_all()
    rows = db.session.execute(select(ReferralRollup).where(ReferralRollup.n > 0)).scalars()
    return {tuple(getattr(r, k) for k in KEYS): tuple(getattr(r, v) for v in VALUES) for r in rows}


def _actors(app, w):
    admin = actor_for_user(signed_in(app, "admin", w.pcp_org).user)
    staff = signed_in(app, "plan_staff", w.plan_org, plans=[w.plan.id]).user
    return admin, actor_for_user(staff)


def test_a_small_month_by_plan_from_the_rollup(app):
    w = build_world()
    monday = datetime(2025, 2, 3, 10, tzinfo=EASTERN)
    seen = _referral(w, monday, plan_id="AcmeGold", patient_member_id="M1")
    seen.events.append(_event("acknowledge", monday + timedelta(hours=23)))
    booked = monday + timedelta(days=7)
    seen.events.append(_event("schedule", monday + timedelta(days=1), booked))
    seen.events.append(_event("attend", booked))
    late = _referral(w, monday + timedelta(days=2), plan_id="AcmeGold")
    late.events.append(_event("acknowledge", monday + timedelta(days=9)))
    late.events.append(_event("decline", monday + timedelta(days=9, hours=1)))
    _referral(w, monday + timedelta(days=17)).events.append(
        _event("expire", monday + timedelta(days=47))
    )
    db.session.commit()
    admin, staff = _actors(app, w)
    # The summary rows gone, whole February still answers: it is read from the rollup.
    db.session.execute(delete(ReferralSummary))
    db.session.commit()
    groups, total = funnel_figures(admin, "plan", date(2025, 2, 1), date(2025, 2, 28), EASTERN)
    gold, unknown = groups
    assert (gold["key"], gold["sent"], gold["acknowledged"], gold["declined"]) == (
        "AcmeGold", 2, 2, 1,
    )  # fmt: skip
    assert (gold["median_days_to_acknowledge"], gold["p90_days_to_acknowledge"]) == (4.0, 7)
    assert gold["share_acknowledged_within_2_business_days"] == 0.5
    assert gold["median_days_to_appointment"] == 7
    assert gold["share_appointment_within_10_business_days"] == 1.0
    assert (unknown["key"], unknown["sent"], unknown["expired"]) == ("unknown", 1, 1)
    assert (total["sent"], total["attended"]) == (3, 1)
    # Plan staff see their plan's members: the referral without a member id is not theirs.
    mine, _ = funnel_figures(staff, "plan", date(2025, 2, 1), date(2025, 2, 28), EASTERN)
    assert [(g["key"], g["sent"], g["attended"]) for g in mine] == [("AcmeGold", 1, 1)]


@pytest.mark.parametrize("group_by", GROUPS)
def test_rollup_and_summary_rows_give_the_same_funnel(app, group_by):
    w = build_world()
    _varied(w)
    for actor in _actors(app, w):
        for period in PERIODS:
            rolled, per_row = _both(app, actor, group_by, period)
            assert rolled == per_row
            assert rolled[1]["sent"] > 0


def test_plan_staff_also_count_what_their_organization_sent(app):
    w = build_world()
    sent = datetime(2025, 3, 4, 9, tzinfo=EASTERN)
    _referral(w, sent, plan_id="AcmeGold", patient_member_id="M7")
    _referral(w, sent, org=w.plan_org)  # no plan: theirs as the referrer
    _referral(w, sent, plan_id="BeaconPPO", patient_member_id="M8")  # not theirs at all
    db.session.commit()
    _, staff = _actors(app, w)
    rolled, per_row = _both(app, staff, "plan", (date(2025, 1, 1), date(2025, 12, 31)))
    assert rolled == per_row
    assert [(g["key"], g["sent"]) for g in rolled[0]] == [("AcmeGold", 1), ("unknown", 1)]


def test_flushes_keep_the_rollup_equal_to_a_rebuild(app, runner):
    w = build_world()
    referrals = _varied(w, count=30)
    referrals[0].plan_id, referrals[1].patient_member_id = "BeaconPPO", "M9"
    referrals[2].patient_preferred_language = "zh"
    db.session.delete(referrals[3].events[-1])
    db.session.delete(referrals[4])
    db.session.add(RaceEthnicity(referral_id=referrals[5].id, category="hispanic_or_latino"))
    db.session.commit()
    kept = _cells()
    # key: zone, dimension, month, all_plans, plan, member, group key, measure, days, in time
    sent = [n for k, (n, *_) in kept.items() if k[1] == "plan" and k[3] and k[7] == "stages"]
    assert sum(sent) == 29
    db.session.execute(delete(ReferralRollup))
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["referrals", "rebuild-summary"])
        assert result.exit_code == 0 and "rollup of" in result.output
        assert _cells() == kept


def test_group_by_clinician_reads_the_summary_rows(app):
    w = build_world()
    _varied(w, count=20)
    admin, _ = _actors(app, w)
    rolled, per_row = _both(app, admin, "clinician", PERIODS[0])
    assert rolled == per_row
    assert [(g["key"], g["sent"]) for g in rolled[0]] == [(str(w.jane.id), 20)]
