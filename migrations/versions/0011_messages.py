"""messages on a referral between the referring practice and the receiver, with attachments

Revision ID: 0011_messages
Revises: 0010_appointments
Create Date: 2026-12-05 21:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_messages"
down_revision = "0010_appointments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "referral_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("author_role", sa.String(length=20), nullable=False),
        sa.Column("author_organization_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("part2", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("part2_basis", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["author_organization_id"], ["organization.id"], ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_referral_message_referral_id", "referral_message", ["referral_id"], unique=False
    )
    op.create_table(
        "referral_message_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["referral_message.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key"),
    )
    op.create_index(
        "ix_referral_message_attachment_message_id",
        "referral_message_attachment",
        ["message_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(
        "ix_referral_message_attachment_message_id", table_name="referral_message_attachment"
    )
    op.drop_table("referral_message_attachment")
    op.drop_index("ix_referral_message_referral_id", table_name="referral_message")
    op.drop_table("referral_message")
