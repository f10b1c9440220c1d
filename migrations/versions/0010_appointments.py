"""appointments: call-back requests from clinician profiles, with first-response time

Revision ID: 0010_appointments
Revises: 0009_subscriptions
Create Date: 2026-12-05 21:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_appointments"
down_revision = "0009_subscriptions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appointment_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("patient_name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("preferred_times", sa.JSON(), nullable=False),
        sa.Column("times_note", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_texts", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinician.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_appointment_request_clinician_status",
        "appointment_request",
        ["clinician_id", "status"],
    )


def downgrade():
    op.drop_index("ix_appointment_request_clinician_status", table_name="appointment_request")
    op.drop_table("appointment_request")
