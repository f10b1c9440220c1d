"""profiles: patient searches kept behind an opaque, expiring results address

Revision ID: 0005_profiles
Revises: 0005_progperf
Create Date: 2026-12-05 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_profiles'
down_revision = '0005_progperf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_search',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest'),
    )
    op.create_index('ix_saved_search_expires_at', 'saved_search', ['expires_at'], unique=False)


def downgrade():
    op.drop_index('ix_saved_search_expires_at', table_name='saved_search')
    op.drop_table('saved_search')
