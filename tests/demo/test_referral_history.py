"""`flask demo referrals`: a deterministic referral history the reports can show."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from directory.extensions import db
from directory.models.verification import as_utc
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.use_cases import zone
from screening.models import ScreeningResult
from tests.web.seed_directory import seed_directory


def _rows():
    """Everything the history wrote, in a comparable form (ids left out)."""
    referrals = db.session.scalars(select(Referral).where(Referral.created_by == "demo:history"))
    return sorted(
        (
            r.patient_name, r.patient_birth_date, r.patient_postal_code,
            r.patient_preferred_language, r.plan_id, r.clinician_id, r.status, r.urgency,
            tuple(sorted(c.category for c in r.race_ethnicity)),
            tuple((e.type, e.at.isoformat(), e.reason) for e in r.events),
            tuple((s.score, s.positive) for s in r.screenings),
        )
        for r in referrals
    )  # fmt: skip


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_same_count_same_rows_and_a_rerun_replaces_them(app, db, runner):
    seed_directory()
    assert runner.invoke(args=["demo", "referrals"]).exit_code == 1  # no demo users yet
    assert runner.invoke(args=["demo", "users"]).exit_code == 0
    args = ["demo", "referrals", "--count", "120", "--as-of", "2026-06-30"]

    first = runner.invoke(args=args)
    rows, events = _rows(), _count(ReferralEvent)
    again = runner.invoke(args=args)

    assert "120 referrals" in first.output, first.output
    assert again.exit_code == 0
    assert _rows() == rows and len(rows) == 120
    assert _count(ReferralEvent) == events  # replaced, not added to
    other = runner.invoke(args=[*args[:-2], "--as-of", "2026-06-30", "--seed", "2"])
    assert other.exit_code == 0 and _rows() != rows


def test_the_history_is_varied_and_mostly_answered(app, db, runner):
    seed_directory()
    runner.invoke(args=["demo", "users"])
    runner.invoke(args=["demo", "referrals", "--count", "300", "--as-of", "2026-06-30"])
    ours = Referral.created_by == "demo:history"
    statuses = dict(
        db.session.execute(
            select(Referral.status, func.count()).where(ours).group_by(Referral.status)
        ).all()
    )
    assert {"attended", "declined", "no_show", "expired"} <= set(statuses)
    declared = db.session.scalar(
        select(func.count(func.distinct(RaceEthnicity.referral_id))).join(Referral).where(ours)
    )
    prefer_not = db.session.scalar(
        select(func.count()).select_from(RaceEthnicity)
        .where(RaceEthnicity.category == "prefer_not_to_answer")
    )  # fmt: skip
    # Most patients answer; a few prefer not to (and those are answers too).
    assert 250 <= declared < 300 and 0 < prefer_not < 40
    assert _count(ScreeningResult) > 0
    # Nothing happens after the --as-of day.
    latest = db.session.scalar(select(func.max(ReferralEvent.at)).join(Referral).where(ours))
    assert as_utc(latest) <= datetime.combine(date(2026, 6, 30), time(23, 59), zone())
