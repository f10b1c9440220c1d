"""The episode of care: a patient at a referring PCP organization, kept as on a referral (PHI)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models import Network, Organization
from directory.models.verification import utcnow


class Episode(db.Model):
    """One patient's coordinated care at one PCP organization: referrals and screenings join it."""

    __tablename__ = "episode"
    __table_args__ = (
        # The two ways a new referral finds the patient's episode (episodes.identity).
        Index(
            "ix_episode_org_name_birth", "organization_id", "patient_name_key", "patient_birth_date"
        ),
        Index("ix_episode_org_plan_member", "organization_id", "plan_id", "patient_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"))
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"))
    # --- PHI: the patient's identity as the first referral gave it ---
    patient_name: Mapped[str] = mapped_column(String(200))
    # The name folded for matching (episodes.identity.name_key): case, accents, order.
    patient_name_key: Mapped[str] = mapped_column(String(200))
    patient_birth_date: Mapped[date] = mapped_column(Date)
    # Stripped and upper-cased (episodes.identity.member_key).
    patient_member_id: Mapped[str | None] = mapped_column(String(64))
    # --- end PHI ---
    created_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organization: Mapped[Organization] = relationship()
    plan: Mapped[Network | None] = relationship()


class CareTeamMember(db.Model):
    """One member of the episode's care team, by role; removed members stay for the history."""

    __tablename__ = "care_team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episode.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(30))  # episodes.roles.ROLES
    name: Mapped[str] = mapped_column(String(200))
    # Who signs in as this member: a clinician by NPI, or anyone of an organization.
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    added_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(80))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organization: Mapped[Organization | None] = relationship()


class Goal(db.Model):
    """A goal of the shared care plan, in the patient's own words (PHI)."""

    __tablename__ = "care_plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episode.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)  # PHI
    status: Mapped[str] = mapped_column(String(20), default="active")  # roles.GOAL_STATUSES
    target_on: Mapped[date | None] = mapped_column(Date)
    # 42 CFR Part 2 as decided from the text (referrals.part2), e.g. ["text:naltrexone"].
    part2: Mapped[bool] = mapped_column(Boolean, default=False)
    part2_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class CarePlanTask(db.Model):
    """A task of the shared care plan: what, for which goal, whose, and by when."""

    __tablename__ = "care_plan_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episode.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_plan_goal.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("care_team_member.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text)  # PHI
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # roles.TASK_STATUSES
    part2: Mapped[bool] = mapped_column(Boolean, default=False)
    part2_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    owner: Mapped[CareTeamMember] = relationship()
    goal: Mapped[Goal | None] = relationship()
