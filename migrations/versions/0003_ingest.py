"""ingest runs across workers: a unique lease, a heartbeat, and the repairs count

Revision ID: 0003_ingest
Revises: 0002
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_ingest'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ingest_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('repaired', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.create_unique_constraint(batch_op.f('uq_ingest_run_lease'), ['lease'])
    # Runs recorded "running" before the lease existed cannot be told from live ones: they
    # ended with the process that ran them (threads do not survive a deploy).
    op.execute(
        "UPDATE ingest_run SET state = 'failed', message = 'stopped by an upgrade' "
        "WHERE state = 'running'"
    )
    with op.batch_alter_table('ingest_run', schema=None) as batch_op:
        batch_op.alter_column('repaired', server_default=None)


def downgrade():
    with op.batch_alter_table('ingest_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ingest_run_lease'), type_='unique')
        batch_op.drop_column('repaired')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('lease')
