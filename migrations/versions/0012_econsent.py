"""econsent: consent requests sent as signed links, and how each consent was signed

Revision ID: 0012_econsent
Revises: 0011_messages
Create Date: 2026-12-05 21:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_econsent"
down_revision = "0011_messages"
branch_labels = None
depends_on = None

CONSENT_COLUMNS = (
    ("method", sa.String(length=20)),
    ("signed_at", sa.DateTime(timezone=True)),
    ("signed_ip", sa.String(length=64)),
    ("signed_user_agent", sa.String(length=300)),
    ("form_version", sa.String(length=40)),
    ("text_hash", sa.String(length=64)),
    ("revoked_ip", sa.String(length=64)),
)


def upgrade():
    with op.batch_alter_table("referral_consent") as batch:
        for name, kind in CONSENT_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_table(
        "referral_consent_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("form_version", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("consent_expires_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(
        "ix_referral_consent_request_referral_id", "referral_consent_request", ["referral_id"]
    )


def downgrade():
    op.drop_index("ix_referral_consent_request_referral_id", "referral_consent_request")
    op.drop_table("referral_consent_request")
    with op.batch_alter_table("referral_consent") as batch:
        for name, _kind in reversed(CONSENT_COLUMNS):
            batch.drop_column(name)
