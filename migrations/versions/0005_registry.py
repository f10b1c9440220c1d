"""registry: each episode's PHQ-9 / GAD-7 standing, one row per episode and instrument

Revision ID: 0005_registry
Revises: 0005_episode
Create Date: 2026-12-05 07:30:00.000000

"""

import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_registry"
down_revision = "0005_episode"
branch_labels = None
depends_on = None

# A frozen copy of registry.measures' rules as they stood when this ran.
_REMISSION_BELOW = {"phq9": 5, "gad7": 5}
_FOLLOW_UP_DAYS = 30
# Columns the registry page reads besides the index keys: counts and ids from index-only scans.
_COVERED = [
    "id", "organization_id", "plan_id", "plan_member", "part2", "baseline_score", "baseline_on",
    "latest_on", "treatment_start", "last_visit_on", "responded", "remission",
]


def upgrade():
    op.create_table(
        "registry_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=20), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("plan_member", sa.Boolean(), nullable=False),
        sa.Column("part2", sa.Boolean(), nullable=False),
        sa.Column("baseline_score", sa.Integer(), nullable=False),
        sa.Column("baseline_on", sa.Date(), nullable=False),
        sa.Column("latest_score", sa.Integer(), nullable=False),
        sa.Column("latest_on", sa.Date(), nullable=False),
        sa.Column("latest_severity", sa.String(length=60), nullable=True),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.Column("treatment_start", sa.Date(), nullable=False),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("positive_on", sa.Date(), nullable=True),
        sa.Column("followed_up_on", sa.Date(), nullable=True),
        sa.Column("responded", sa.Boolean(), nullable=False),
        sa.Column("remission", sa.Boolean(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["episode.id"],
            name=op.f("fk_registry_entry_episode_id_episode"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_entry")),
        sa.UniqueConstraint(
            "episode_id", "instrument", name="uq_registry_entry_episode_instrument"
        ),
    )
    with op.batch_alter_table("registry_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registry_entry_org_score",
            ["organization_id", "instrument", "latest_score"],
            unique=False,
            postgresql_include=_COVERED,
        )
        batch_op.create_index(
            "ix_registry_entry_plan_score",
            ["plan_id", "instrument", "latest_score"],
            unique=False,
            postgresql_include=_COVERED,
        )
    _backfill(op.get_bind())


def _local(moment, zone):
    if isinstance(moment, str):  # SQLite hands raw SQL its stored text
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).date()


def _visits(conn, zone):
    rows = conn.execute(
        sa.text(
            "SELECT r.episode_id, r.appointment_at, e.at FROM referral_event e "
            "JOIN referral r ON r.id = e.referral_id "
            "WHERE e.type = 'attend' AND r.episode_id IS NOT NULL"
        )
    )
    found = {}
    for episode_id, appointment_at, marked_at in rows:
        found.setdefault(episode_id, []).append(_local(appointment_at or marked_at, zone))
    return found


def _row(episode, instrument, scores, visits, now):
    """scores: (local date, score, positive, severity, part2) oldest first."""
    first, last = scores[0], scores[-1]
    positive_on = next((s[0] for s in scores if s[2]), None)
    window = (
        []
        if positive_on is None
        else [
            v for v in visits if positive_on <= v <= positive_on + timedelta(days=_FOLLOW_UP_DAYS)
        ]
    )
    return {
        "episode_id": episode["id"],
        "instrument": instrument,
        "organization_id": episode["organization_id"],
        "plan_id": episode["plan_id"],
        "plan_member": bool((episode["patient_member_id"] or "").strip()),
        "part2": any(s[4] for s in scores),
        "baseline_score": first[1],
        "baseline_on": first[0],
        "latest_score": last[1],
        "latest_on": last[0],
        "latest_severity": last[3],
        "scores": len(scores),
        "treatment_start": min(visits) if visits else first[0],
        "last_visit_on": max(visits) if visits else None,
        "positive_on": positive_on,
        "followed_up_on": min(window, default=None),
        "responded": last[1] * 2 <= first[1],
        "remission": last[1] < _REMISSION_BELOW[instrument],
        "refreshed_at": now,
    }


def _backfill(conn):
    """A row for every episode with a PHQ-9 or GAD-7 screening, as the application keeps them."""
    zone = ZoneInfo(os.environ.get("REFERRAL_TIMEZONE") or "America/New_York")
    episodes = {
        row["id"]: row
        for row in conn.execute(
            sa.text("SELECT id, organization_id, plan_id, patient_member_id FROM episode")
        ).mappings()
    }
    scores = {}
    for row in conn.execute(
        sa.text(
            "SELECT s.episode_id, s.instrument, s.created_at, s.score, s.positive, s.severity, "
            "r.part2 FROM screening_result s LEFT JOIN referral r ON r.id = s.referral_id "
            "WHERE s.episode_id IS NOT NULL AND s.instrument IN ('phq9', 'gad7') "
            "ORDER BY s.created_at, s.id"
        )
    ):
        point = (_local(row[2], zone), row[3], bool(row[4]), row[5], bool(row[6]))
        scores.setdefault((row[0], row[1]), []).append(point)
    visits, now = _visits(conn, zone), datetime.now(timezone.utc)
    rows = [
        _row(episodes[episode_id], instrument, found, visits.get(episode_id, []), now)
        for (episode_id, instrument), found in sorted(scores.items())
    ]
    if rows:
        table = sa.table("registry_entry", *(sa.column(name) for name in rows[0]))
        conn.execute(table.insert(), rows)


def downgrade():
    with op.batch_alter_table("registry_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_registry_entry_plan_score")
        batch_op.drop_index("ix_registry_entry_org_score")
    op.drop_table("registry_entry")
