"""audit log: client address, account tried, chain count and key id per event; no TRUNCATE

Revision ID: 0003_audit
Revises: 0002
Create Date: 2026-12-04 16:00:00

Events written before this revision keep key_id NULL: they stay plain SHA-256 links (the old
seven-field hash) and verify as "legacy", but only before the first keyed event. New events
are HMAC-SHA256 links keyed with AUDIT_KEY (see audit/hashing.py). Adding nullable columns
rewrites no row, so the append-only trigger never fires. A downgrade drops the keyed fields:
the keyed events written meanwhile no longer verify after it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_audit'
down_revision = '0003_signin'
branch_labels = None
depends_on = None

# Copied from audit/models.py on purpose: a migration must not change when the model does.
# The function audit_event_append_only() comes from 0001; it raises whatever TG_OP is.
NO_TRUNCATE_TRIGGER = """
CREATE TRIGGER audit_event_no_truncate
BEFORE TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"""


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_addr', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('account_ref', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('chain_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
    if _is_postgresql():
        op.execute(NO_TRUNCATE_TRIGGER)


def downgrade():
    if _is_postgresql():
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('key_id')
        batch_op.drop_column('chain_count')
        batch_op.drop_column('account_ref')
        batch_op.drop_column('client_addr')
