"""program search speed: stored HSDS ids (indexed lookups) and the program change stamp

Revision ID: 0005_progperf
Revises: 0005_socialref
Create Date: 2026-12-05 07:10:00.000000

"""
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_progperf'
down_revision = '0005_socialref'
branch_labels = None
depends_on = None

# As programs/hsds_ids.py and programs/changes.py have them on this date (copied on purpose:
# a migration must not change when the code does).
NAMESPACE = uuid.UUID("6f1d2c55-6a43-5d1e-9a57-3c2b8e0f4d11")
HSDS_KINDS = (
    ("program_organization", "organization"),
    ("program_service", "service"),
    ("program_site", "service_at_location"),
)
SEARCHED_TABLES = ("program_service", "program_site", "program_location")


def _sqlite_triggers():
    body = "INSERT OR REPLACE INTO program_change (id, stamp) VALUES (1, random());"
    return [
        f"CREATE TRIGGER IF NOT EXISTS program_change_{table}_{write.lower()} "
        f'AFTER {write} ON "{table}" BEGIN {body} END'
        for table in SEARCHED_TABLES
        for write in ("INSERT", "UPDATE", "DELETE")
    ]


def _postgresql_triggers():
    found = [
        "CREATE OR REPLACE FUNCTION program_change_stamp() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO program_change (id, stamp) "
        "VALUES (1, (random() * 9.2e18 - 4.6e18)::bigint) "
        "ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp; RETURN NULL; "
        "END $$ LANGUAGE plpgsql"
    ]
    for table in SEARCHED_TABLES:
        found.append(
            f"CREATE OR REPLACE TRIGGER program_change_{table} "
            f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION program_change_stamp()"
        )
    return found


def _backfill(table, kind):
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, external_id FROM {table}")).all()
    if rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET hsds_id = :hsds_id WHERE id = :id"),
            [{"id": row_id, "hsds_id": str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))}
             for row_id, key in rows],
        )


def upgrade():
    for table, kind in HSDS_KINDS:
        op.add_column(table, sa.Column('hsds_id', sa.String(length=36), nullable=True))
        _backfill(table, kind)
        op.create_index(op.f(f'ix_{table}_hsds_id'), table, ['hsds_id'], unique=True)
    op.create_table('program_change',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('stamp', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_change'))
    )
    dialect = op.get_bind().dialect.name
    statements = _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS program_change_stamp() CASCADE")
    else:
        for statement in _sqlite_triggers():
            name = statement.split()[5]
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('program_change')
    for table, _ in reversed(HSDS_KINDS):
        op.drop_index(op.f(f'ix_{table}_hsds_id'), table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('hsds_id')
