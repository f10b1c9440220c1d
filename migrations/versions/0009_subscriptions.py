"""task_subscription: FHIR Subscriptions (R4 Backport) to referral Task changes

Revision ID: 0009_subscriptions
Revises: 0008_patient
Create Date: 2026-12-05 21:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_subscriptions"
down_revision = "0008_patient"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "task_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=False),
        sa.Column("content", sa.String(length=15), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_task_subscription_api_key_id", "task_subscription", ["api_key_id"])


def downgrade():
    op.drop_index("ix_task_subscription_api_key_id", table_name="task_subscription")
    op.drop_table("task_subscription")
