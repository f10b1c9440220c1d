"""referral_summary: one row per sent referral with its funnel facts, backfilled from events

Revision ID: 0016_funnelsql
Revises: 0015_console
Create Date: 2026-12-06 01:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_funnelsql"
down_revision = "0015_console"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "referral_summary",
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_appointment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("expired", sa.Boolean(), nullable=False),
        sa.Column("days_to_acknowledge", sa.Integer(), nullable=True),
        sa.Column("acknowledged_in_time", sa.Boolean(), nullable=True),
        sa.Column("days_to_appointment", sa.Integer(), nullable=True),
        sa.Column("appointment_in_time", sa.Boolean(), nullable=True),
        sa.Column("positive_screen_on", sa.Date(), nullable=True),
        sa.Column("follow_up_7_days", sa.Boolean(), nullable=False),
        sa.Column("follow_up_30_days", sa.Boolean(), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("urgency", sa.String(length=10), nullable=True),
        sa.Column("race_ethnicity", sa.String(length=40), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("county_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("referral_id"),
    )
    op.create_index("ix_referral_summary_sent_at", "referral_summary", ["sent_at"])
    # Backfilled by 0018_rollup: the code that writes the rows now writes columns added since.


def downgrade():
    op.drop_index("ix_referral_summary_sent_at", table_name="referral_summary")
    op.drop_table("referral_summary")
