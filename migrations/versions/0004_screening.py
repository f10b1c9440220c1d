"""screening results: one row per scored screening, optionally attached to a referral

Revision ID: 0004_screening
Revises: 0004_rosters
Create Date: 2026-12-04 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_screening'
down_revision = '0004_rosters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'screening_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.String(length=20), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('severity', sa.String(length=60), nullable=True),
        sa.Column('positive', sa.Boolean(), nullable=True),
        sa.Column('crisis', sa.Boolean(), nullable=False),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('sex', sa.String(length=10), nullable=True),
        sa.Column('referral_id', sa.Integer(), nullable=True),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('screening_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_result_instrument'), ['instrument'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_result_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_result_referral_id'), ['referral_id'], unique=False)


def downgrade():
    with op.batch_alter_table('screening_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_result_referral_id'))
        batch_op.drop_index(batch_op.f('ix_screening_result_organization_id'))
        batch_op.drop_index(batch_op.f('ix_screening_result_instrument'))
    op.drop_table('screening_result')
