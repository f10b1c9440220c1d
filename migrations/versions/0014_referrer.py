"""app_user: the person's name, credentials and work phone (referral forms fill the referrer)

Revision ID: 0014_referrer
Revises: 0013_heartbeat
Create Date: 2026-12-06 01:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_referrer"
down_revision = "0013_heartbeat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("full_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("credentials", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("phone")
        batch.drop_column("credentials")
        batch.drop_column("full_name")
