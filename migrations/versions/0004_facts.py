"""facts: fact_observation, one row per observation of a listing fact by one source

Revision ID: 0004_facts
Revises: 0003_part2
Create Date: 2026-12-04 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_facts'
down_revision = '0003_part2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fact_observation',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.BigInteger(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('source_ref', sa.String(length=120), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fact_observation'))
    )
    with op.batch_alter_table('fact_observation', schema=None) as batch_op:
        batch_op.create_index('ix_fact_observation_subject', ['subject_kind', 'subject_id', 'kind'], unique=False)


def downgrade():
    with op.batch_alter_table('fact_observation', schema=None) as batch_op:
        batch_op.drop_index('ix_fact_observation_subject')

    op.drop_table('fact_observation')
