"""clinician.deactivated_on and reactivated_on: NPPES deactivations, clinicians kept for history

Revision ID: 0004_rosters
Revises: 0004_zips
Create Date: 2026-12-04 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_rosters'
down_revision = '0004_zips'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clinician', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reactivated_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('clinician', schema=None) as batch_op:
        batch_op.drop_column('reactivated_on')
        batch_op.drop_column('deactivated_on')
