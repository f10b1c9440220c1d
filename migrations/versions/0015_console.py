"""network.member_id_format and its source: a plan's member ids, for the call console to pick
the plan from the member id

Revision ID: 0015_console
Revises: 0014_referrer
Create Date: 2026-12-06 01:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_console"
down_revision = "0014_referrer"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("network") as batch:
        batch.add_column(sa.Column("member_id_format", sa.String(length=100), nullable=True))
        batch.add_column(
            sa.Column("member_id_format_source", sa.String(length=200), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("network") as batch:
        batch.drop_column("member_id_format_source")
        batch.drop_column("member_id_format")
