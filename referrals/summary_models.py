"""One row per sent referral with the funnel facts its events imply, for the funnel report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db


class ReferralSummary(db.Model):
    """A sent referral's stages, first times, days to them and report keys (referrals.summary).

    Derived only: rewritten from the referral, its events and its race/ethnicity rows on every
    flush that touches them, and rebuilt by `flask referrals rebuild-summary`.
    """

    __tablename__ = "referral_summary"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True
    )
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The time zone the days, the in-time flags and the age band were counted in.
    zone: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_appointment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged: Mapped[bool] = mapped_column(Boolean)
    scheduled: Mapped[bool] = mapped_column(Boolean)
    attended: Mapped[bool] = mapped_column(Boolean)
    declined: Mapped[bool] = mapped_column(Boolean)
    no_show: Mapped[bool] = mapped_column(Boolean)
    expired: Mapped[bool] = mapped_column(Boolean)
    days_to_acknowledge: Mapped[int | None] = mapped_column(Integer)
    acknowledged_in_time: Mapped[bool | None] = mapped_column(Boolean)
    days_to_appointment: Mapped[int | None] = mapped_column(Integer)
    appointment_in_time: Mapped[bool | None] = mapped_column(Boolean)
    # HEDIS-style follow-up: the local day of the first positive screen, and whether the
    # patient (its episode, else the referral) had a BH visit within 7 / 30 days of it.
    positive_screen_on: Mapped[date | None] = mapped_column(Date)
    follow_up_7_days: Mapped[bool] = mapped_column(Boolean)
    follow_up_30_days: Mapped[bool] = mapped_column(Boolean)
    # The report's group keys, copied from the referral (no foreign keys: a copy, not a link).
    plan_id: Mapped[str | None] = mapped_column(String(64))
    # Whether plan staff see it through its plan: a member id (listing.plan_member_filter).
    # The database default is migration 0018's (rows summarized before it were not members).
    plan_member: Mapped[bool] = mapped_column(Boolean, server_default=false())
    language: Mapped[str | None] = mapped_column(String(8))
    clinician_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(10))
    race_ethnicity: Mapped[str] = mapped_column(String(40))
    age_band: Mapped[str] = mapped_column(String(20))
    county_type: Mapped[str] = mapped_column(String(20))
    # The directory report's facts: the decline (one at most: declined is terminal) and its
    # reason as on the referral, and the latest accept or attend (listing activity).
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(40))
    last_active_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Covering indexes: the report reads these ranges without visiting the table.
    __table_args__ = (
        Index("ix_referral_summary_declined", "declined_at", "clinician_id", "decline_reason"),
        Index("ix_referral_summary_active", "clinician_id", "last_active_at"),
    )


class ReferralRollup(db.Model):
    """Summary rows counted per local send month, plan and group key (referrals.rollup).

    Kept by the same flush as the summary (added in, taken out), so a year's funnel reads a few
    thousand rows. `measure` "stages" rows count referrals (n) and the stages they reached;
    "booked" / "answered" rows count referrals by (days, in_time) to a first appointment / an
    acknowledgement. Key columns are never NULL ("" for no plan) so ON CONFLICT can add in.
    """

    __tablename__ = "referral_rollup"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day, in `zone`
    # Every referral is counted twice: once in its plan's cells for plan staff, and once in
    # cells of every plan together (plan_id "", not a member), so an administrator reads 1/7.
    all_plans: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_member: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    group_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(10), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    in_time: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    acknowledged: Mapped[int] = mapped_column(Integer)
    scheduled: Mapped[int] = mapped_column(Integer)
    attended: Mapped[int] = mapped_column(Integer)
    declined: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    expired: Mapped[int] = mapped_column(Integer)
    positive_screens: Mapped[int] = mapped_column(Integer)
    follow_up_7_days: Mapped[int] = mapped_column(Integer)
    follow_up_30_days: Mapped[int] = mapped_column(Integer)
