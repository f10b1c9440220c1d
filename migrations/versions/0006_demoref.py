"""demoref: optional self-reported patient demographics on a referral (ZIP, race and ethnicity)

Revision ID: 0006_demoref
Revises: 0006_feedsync
Create Date: 2026-12-05 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_demoref'
down_revision = '0006_feedsync'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('referral', sa.Column('patient_postal_code', sa.String(length=10), nullable=True))
    op.create_table(
        'referral_race_ethnicity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('referral_id', 'category'),
    )
    op.create_index(
        'ix_referral_race_ethnicity_referral_id', 'referral_race_ethnicity', ['referral_id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_referral_race_ethnicity_referral_id', table_name='referral_race_ethnicity')
    op.drop_table('referral_race_ethnicity')
    with op.batch_alter_table('referral') as batch:
        batch.drop_column('patient_postal_code')
