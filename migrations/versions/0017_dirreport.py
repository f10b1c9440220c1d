"""referral_summary: decline, decline reason and last activity; per clinician-month counts of referrals and declines

Revision ID: 0017_dirreport
Revises: 0016_funnelsql
Create Date: 2026-12-06 04:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_dirreport"
down_revision = "0016_funnelsql"
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table("referral_summary") as batch:
        batch.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decline_reason", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_referral_summary_declined",
        "referral_summary",
        ["declined_at", "clinician_id", "decline_reason"],
    )
    op.create_index(
        "ix_referral_summary_active", "referral_summary", ["clinician_id", "last_active_at"]
    )
    op.create_table(
        "referral_clinician_month",
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("in_time", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("clinician_id", "zone", "month"),
    )
    op.create_table(
        "referral_decline_month",
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("declined", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("clinician_id", "zone", "month", "reason"),
    )
    # Backfilled by 0018_rollup: the code that writes summary rows writes a column added there.


def downgrade():
    op.drop_table("referral_decline_month")
    op.drop_table("referral_clinician_month")
    op.drop_index("ix_referral_summary_active", table_name="referral_summary")
    op.drop_index("ix_referral_summary_declined", table_name="referral_summary")
    with op.batch_alter_table("referral_summary") as batch:
        batch.drop_column("last_active_at")
        batch.drop_column("decline_reason")
        batch.drop_column("declined_at")
