"""feedsync: where the search sync worker is in the listing change log

Revision ID: 0006_feedsync
Revises: 0005_profiles
Create Date: 2026-12-05 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_feedsync'
down_revision = '0005_profiles'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_feed_position',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('horizon', sa.BigInteger(), nullable=True),
        sa.Column('seen', sa.JSON(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('search_feed_position')
