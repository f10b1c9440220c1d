"""cdshooks: CDS Hooks clients, issued cards, card feedback and used JWT ids

Revision ID: 0006_cdshooks
Revises: 0006_demoref
Create Date: 2026-12-05 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_cdshooks'
down_revision = '0006_demoref'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cds_client',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('iss', sa.String(length=255), nullable=False),
        sa.Column('secret', sa.String(length=128), nullable=False),
        sa.Column('fhir_server', sa.String(length=255), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('iss'),
    )
    op.create_table(
        'cds_card',
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('service_id', sa.String(length=64), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['cds_client.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('uuid'),
    )
    op.create_table(
        'cds_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_uuid', sa.String(length=36), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('accepted_suggestions', sa.JSON(), nullable=False),
        sa.Column('override_system', sa.String(length=255), nullable=True),
        sa.Column('override_code', sa.String(length=64), nullable=True),
        sa.Column('override_display', sa.String(length=255), nullable=True),
        sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['card_uuid'], ['cds_card.uuid'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_cds_feedback_card_uuid', 'cds_feedback', ['card_uuid'], unique=False)
    op.create_table(
        'cds_token_use',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('jti', sa.String(length=255), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['cds_client.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('client_id', 'jti'),
    )
    op.create_index('ix_cds_token_use_expires_at', 'cds_token_use', ['expires_at'], unique=False)


def downgrade():
    op.drop_index('ix_cds_token_use_expires_at', table_name='cds_token_use')
    op.drop_table('cds_token_use')
    op.drop_index('ix_cds_feedback_card_uuid', table_name='cds_feedback')
    op.drop_table('cds_feedback')
    op.drop_table('cds_card')
    op.drop_table('cds_client')
