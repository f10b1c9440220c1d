"""report a problem: the correction queue (reports, referral declines, bounced contacts)

Revision ID: 0004_reports
Revises: 0004_facts
Create Date: 2026-12-04 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_reports'
down_revision = '0004_facts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'correction_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('problem', sa.String(length=30), nullable=False),
        sa.Column('clinician_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('update_due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reverify_due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('details', sa.String(length=500), nullable=True),
        sa.Column('plan_id', sa.String(length=64), nullable=True),
        sa.Column('referral_id', sa.Integer(), nullable=True),
        sa.Column('reporter_ref', sa.String(length=48), nullable=True),
        sa.Column('filed_by', sa.String(length=40), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.String(length=40), nullable=True),
        sa.Column('outcome_note', sa.String(length=1000), nullable=True),
        sa.Column('method', sa.String(length=30), nullable=True),
        sa.Column('evidence', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ['clinician_id'], ['clinician.id'],
            name=op.f('fk_correction_item_clinician_id_clinician'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['app_user.id'],
            name=op.f('fk_correction_item_owner_id_app_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_item')),
    )
    with op.batch_alter_table('correction_item', schema=None) as batch_op:
        batch_op.create_index('ix_correction_item_status_due', ['status', 'update_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_item_clinician_id'), ['clinician_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_item_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_item_reporter_ref'), ['reporter_ref'], unique=False)


def downgrade():
    with op.batch_alter_table('correction_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_item_reporter_ref'))
        batch_op.drop_index(batch_op.f('ix_correction_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_correction_item_clinician_id'))
        batch_op.drop_index('ix_correction_item_status_due')
    op.drop_table('correction_item')
