"""referral_rollup: the funnel's counts per local send month, plan and group key; plan_member

Revision ID: 0018_rollup
Revises: 0017_dirreport
Create Date: 2026-12-06 04:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_rollup"
down_revision = "0017_dirreport"
branch_labels = None
depends_on = None

COUNTED = (
    "n", "acknowledged", "scheduled", "attended", "declined", "no_show", "expired",
    "positive_screens", "follow_up_7_days", "follow_up_30_days",
)  # fmt: skip


def _backfill():
    """Summary rows of the referrals already sent, then the count tables counted from them."""
    from referrals.rollup import rebuild_rollup
    from referrals.summary import rebuild, summary_zone
    from referrals.summary_months import rebuild_months

    connection, zone = op.get_bind(), summary_zone()
    after = rebuild(connection, zone)
    while after:
        after = rebuild(connection, zone, after)
    rebuild_rollup(connection)
    rebuild_months(connection)


def upgrade():
    with op.batch_alter_table("referral_summary") as batch:
        batch.add_column(
            sa.Column("plan_member", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "referral_rollup",
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("all_plans", sa.Boolean(), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("plan_member", sa.Boolean(), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("in_time", sa.Boolean(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTED),
        sa.PrimaryKeyConstraint(
            "zone", "dimension", "month", "all_plans", "plan_id", "plan_member", "group_key",
            "measure", "days", "in_time",
        ),  # fmt: skip
    )
    _backfill()


def downgrade():
    op.drop_table("referral_rollup")
    with op.batch_alter_table("referral_summary") as batch:
        batch.drop_column("plan_member")
