"""task_subscription: the backport heartbeatPeriod, when the next heartbeat is due; and
subscription_event, the numbered events kept for $events

Revision ID: 0013_heartbeat
Revises: 0012_econsent
Create Date: 2026-12-05 22:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_heartbeat"
down_revision = "0012_econsent"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("task_subscription") as batch:
        batch.add_column(sa.Column("heartbeat_seconds", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("heartbeat_due_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_task_subscription_heartbeat_due_at", "task_subscription", ["heartbeat_due_at"]
    )
    op.create_table(
        "subscription_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["task_subscription.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "number"),
    )


def downgrade():
    op.drop_table("subscription_event")
    op.drop_index("ix_task_subscription_heartbeat_due_at", table_name="task_subscription")
    with op.batch_alter_table("task_subscription") as batch:
        batch.drop_column("heartbeat_due_at")
        batch.drop_column("heartbeat_seconds")
