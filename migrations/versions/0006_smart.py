"""smart: EHRs registered for SMART launch and EHR users linked to local accounts

Revision ID: 0006_smart
Revises: 0006_cdshooks
Create Date: 2026-12-05 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_smart'
down_revision = '0006_cdshooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'smart_ehr',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('client_id', sa.String(length=200), nullable=False),
        sa.Column('auth_method', sa.String(length=30), nullable=False),
        sa.Column('client_secret_env', sa.String(length=100), nullable=True),
        sa.Column('private_key_path', sa.String(length=500), nullable=True),
        sa.Column('private_key_id', sa.String(length=200), nullable=True),
        sa.Column('scopes', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issuer'),
    )
    op.create_table(
        'smart_user_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ehr_id', sa.Integer(), nullable=False),
        sa.Column('fhir_user', sa.String(length=500), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ehr_id'], ['smart_ehr.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('ehr_id', 'fhir_user', name='uq_smart_user_link_user'),
    )
    op.create_index('ix_smart_user_link_user_id', 'smart_user_link', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_smart_user_link_user_id', table_name='smart_user_link')
    op.drop_table('smart_user_link')
    op.drop_table('smart_ehr')
