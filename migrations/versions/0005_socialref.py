"""social-care referrals: referral kind, program site target, community status, patient updates;
community users linked to their program organization

Revision ID: 0005_socialref
Revises: 0005_registry
Create Date: 2026-12-05 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_socialref'
down_revision = '0005_registry'
branch_labels = None
depends_on = None

# Exactly one target, as its kind calls for (referrals.kinds.target_check, spelled out here so
# the migration stays what it was when the kinds table grows).
TARGET_CHECK = (
    "(kind = 'bh_clinician' AND clinician_id IS NOT NULL AND site_id IS NULL) OR "
    "(kind = 'program' AND clinician_id IS NULL AND site_id IS NOT NULL)"
)


def upgrade():
    # Existing rows are clinician referrals: the server default names them so.
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='bh_clinician', nullable=False))
        batch_op.add_column(sa.Column('program_status', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('patient_updates', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('patient_code_hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('clinician_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_referral_site_id'), ['site_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_referral_patient_code_hash'), ['patient_code_hash'])
        batch_op.create_foreign_key(batch_op.f('fk_referral_site_id_program_site'), 'program_site', ['site_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint('referral_target', TARGET_CHECK)
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_status', sa.String(length=30), nullable=True))
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_app_user_program_organization_id'), ['program_organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_app_user_program_organization_id_program_organization'), 'program_organization', ['program_organization_id'], ['id'], ondelete='SET NULL')


def downgrade():
    # Program referrals have no clinician: they cannot survive the NOT NULL coming back.
    op.execute("DELETE FROM referral WHERE kind <> 'bh_clinician'")
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_app_user_program_organization_id_program_organization'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_app_user_program_organization_id'))
        batch_op.drop_column('program_organization_id')
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_column('program_status')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint('referral_target', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_referral_site_id_program_site'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_referral_patient_code_hash'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_referral_site_id'))
        batch_op.alter_column('clinician_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('patient_code_hash')
        batch_op.drop_column('patient_updates')
        batch_op.drop_column('site_id')
        batch_op.drop_column('program_status')
        batch_op.drop_column('kind')
