"""cost: a clinician's self-pay fee range, sliding scale, free care and payers accepted

Revision ID: 0005_cost
Revises: 0004_reports
Create Date: 2026-12-05 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_cost'
down_revision = '0004_reports'
branch_labels = None
depends_on = None

# NULL everywhere: existing clinicians' cost is unknown, never "free" or "no".
_COLUMNS = (
    ('fee_min', sa.Integer),
    ('fee_max', sa.Integer),
    ('sliding_scale', sa.Boolean),
    ('free_care', sa.Boolean),
    ('accepts_medicaid', sa.Boolean),
    ('accepts_medicare', sa.Boolean),
    ('accepts_uninsured', sa.Boolean),
)


def upgrade():
    # A plain ADD COLUMN on both dialects: SQLite keeps the table (and its listing triggers).
    for name, kind in _COLUMNS:
        op.add_column('clinician', sa.Column(name, kind(), nullable=True))


def downgrade():
    # SQLite drops a column by copying the table; the listing triggers go with the copy.
    with op.batch_alter_table('clinician') as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
