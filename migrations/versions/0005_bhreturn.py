"""structured return from behavioral health to the PCP: returns and their repeat scores

Revision ID: 0005_bhreturn
Revises: 0005_cost
Create Date: 2026-12-05 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_bhreturn'
down_revision = '0005_cost'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'referral_return',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('referral_status', sa.String(length=20), nullable=False),
        sa.Column('diagnoses', sa.JSON(), nullable=False),
        sa.Column('medications', sa.JSON(), nullable=False),
        sa.Column('treatment', sa.Text(), nullable=True),
        sa.Column('next_appointment_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('part2', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('part2_basis', sa.JSON(), server_default='[]', nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_by_role', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('referral_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_return_referral_id'), ['referral_id'], unique=False)
    op.create_table(
        'referral_return_score',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.String(length=20), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=True),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('severity', sa.String(length=60), nullable=True),
        sa.Column('positive', sa.Boolean(), nullable=True),
        sa.Column('crisis', sa.Boolean(), nullable=False),
        sa.Column('sex', sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(['return_id'], ['referral_return.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('referral_return_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_return_score_instrument'), ['instrument'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_return_score_return_id'), ['return_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referral_return_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_return_score_return_id'))
        batch_op.drop_index(batch_op.f('ix_referral_return_score_instrument'))
    op.drop_table('referral_return_score')
    with op.batch_alter_table('referral_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_return_referral_id'))
    op.drop_table('referral_return')
