"""The registry's stored standing: one row per episode and instrument, refreshed on every change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import utcnow
from episodes.models import Episode

# What the page's WHERE and ORDER BY read besides the index keys (registry.queries).
COVERED = [
    "id",
    "organization_id",
    "plan_id",
    "plan_member",
    "part2",
    "baseline_score",
    "baseline_on",
    "latest_on",
    "treatment_start",
    "last_visit_on",
    "responded",
    "remission",
]


class RegistryEntry(db.Model):
    """An episode's scores on one instrument, summarized so a registry page is one indexed query."""

    __tablename__ = "registry_entry"
    __table_args__ = (
        UniqueConstraint("episode_id", "instrument", name="uq_registry_entry_episode_instrument"),
        # The two readers' pages: a practice's episodes, a plan's members, by latest score.
        # On PostgreSQL each index carries every column a filter, sort or count reads, so the
        # count and the page's ids come from index-only scans.
        Index(
            "ix_registry_entry_org_score",
            "organization_id",
            "instrument",
            "latest_score",
            postgresql_include=COVERED,
        ),
        Index(
            "ix_registry_entry_plan_score",
            "plan_id",
            "instrument",
            "latest_score",
            postgresql_include=COVERED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(20))
    # Copied from the episode: who may read the row is decided on these columns alone.
    organization_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[str | None] = mapped_column(String(64))
    plan_member: Mapped[bool] = mapped_column(Boolean, default=False)
    # A score came with a referral whose content is Part 2: plan readers do not see the row.
    part2: Mapped[bool] = mapped_column(Boolean, default=False)
    # --- PHI: the patient's scores and care dates (local dates, REFERRAL_TIMEZONE) ---
    baseline_score: Mapped[int] = mapped_column(Integer)
    baseline_on: Mapped[date] = mapped_column(Date)
    latest_score: Mapped[int] = mapped_column(Integer)
    latest_on: Mapped[date] = mapped_column(Date)
    latest_severity: Mapped[str | None] = mapped_column(String(60))
    scores: Mapped[int] = mapped_column(Integer)
    treatment_start: Mapped[date] = mapped_column(Date)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    positive_on: Mapped[date | None] = mapped_column(Date)
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    responded: Mapped[bool] = mapped_column(Boolean)
    remission: Mapped[bool] = mapped_column(Boolean)
    # --- end PHI ---
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    episode: Mapped[Episode] = relationship()
