"""programs (HSDS 3.0 shaped): organizations, locations, services and services at locations

Revision ID: 0004_programs
Revises: 0004_screening
Create Date: 2026-12-04 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_programs'
down_revision = '0004_screening'
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        'program_organization',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=160), nullable=False),
        sa.Column('name', sa.String(length=250), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('website', sa.String(length=300), nullable=True),
        sa.Column('email', sa.String(length=200), nullable=True),
        sa.Column('source', sa.String(length=40), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_organization')),
        sa.UniqueConstraint('external_id', name=op.f('uq_program_organization_external_id')),
    )
    op.create_index(op.f('ix_program_organization_updated_at'), 'program_organization', ['updated_at'])
    op.create_table(
        'program_location',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=160), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=250), nullable=True),
        sa.Column('line1', sa.String(length=250), nullable=True),
        sa.Column('line2', sa.String(length=250), nullable=True),
        sa.Column('city', sa.String(length=100), nullable=True),
        sa.Column('state', sa.String(length=60), nullable=True),
        sa.Column('postal_code', sa.String(length=12), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('precision', sa.String(length=20), nullable=True),
        sa.Column('source', sa.String(length=40), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['organization_id'], ['program_organization.id'], name=op.f('fk_program_location_organization_id_program_organization'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_location')),
        sa.UniqueConstraint('external_id', name=op.f('uq_program_location_external_id')),
    )
    op.create_index('ix_program_location_lat_lon', 'program_location', ['lat', 'lon'])
    op.create_index(op.f('ix_program_location_organization_id'), 'program_location', ['organization_id'])
    op.create_index(op.f('ix_program_location_updated_at'), 'program_location', ['updated_at'])
    op.create_table(
        'program_service',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=160), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=250), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=True),
        sa.Column('email', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('minimum_age', sa.Integer(), nullable=True),
        sa.Column('maximum_age', sa.Integer(), nullable=True),
        sa.Column('eligibility', sa.Text(), nullable=True),
        sa.Column('populations', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('taxonomy_terms', sa.JSON(), nullable=False),
        sa.Column('levels_of_care', sa.JSON(), nullable=False),
        sa.Column('medications', sa.JSON(), nullable=False),
        sa.Column('detox', sa.Boolean(), nullable=False),
        sa.Column('residential', sa.Boolean(), nullable=False),
        sa.Column('payments', sa.JSON(), nullable=False),
        sa.Column('fee_min', sa.Float(), nullable=True),
        sa.Column('fee_max', sa.Float(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=True),
        sa.Column('fees_description', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['organization_id'], ['program_organization.id'], name=op.f('fk_program_service_organization_id_program_organization'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_service')),
        sa.UniqueConstraint('external_id', name=op.f('uq_program_service_external_id')),
    )
    op.create_index(op.f('ix_program_service_organization_id'), 'program_service', ['organization_id'])
    op.create_index(op.f('ix_program_service_updated_at'), 'program_service', ['updated_at'])
    op.create_table(
        'program_site',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=160), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('hours', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['location_id'], ['program_location.id'], name=op.f('fk_program_site_location_id_program_location'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['service_id'], ['program_service.id'], name=op.f('fk_program_site_service_id_program_service'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_site')),
        sa.UniqueConstraint('external_id', name=op.f('uq_program_site_external_id')),
        sa.UniqueConstraint('service_id', 'location_id', name=op.f('uq_program_site_service_id_location_id')),
    )
    op.create_index(op.f('ix_program_site_location_id'), 'program_site', ['location_id'])


def downgrade():
    op.drop_table('program_site')
    op.drop_table('program_service')
    op.drop_table('program_location')
    op.drop_table('program_organization')
