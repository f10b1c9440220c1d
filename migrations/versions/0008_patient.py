"""patient: opt-in status notices to the patient by text or email, and who stopped them

Revision ID: 0008_patient
Revises: 0007_outbox
Create Date: 2026-12-05 21:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_patient"
down_revision = "0007_outbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("patient_notices", sa.String(length=10), server_default="none", nullable=False)
        )
        batch_op.add_column(sa.Column("patient_email", sa.String(length=254), nullable=True))
    op.create_table(
        "patient_notice_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "address_key"),
    )


def downgrade():
    op.drop_table("patient_notice_opt_out")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("patient_email")
        batch_op.drop_column("patient_notices")
