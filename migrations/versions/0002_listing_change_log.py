"""listing change log: a table the listing triggers write, for the in-memory match index

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 19:51:39.750588

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The triggers as directory/models/changes.py wrote them on this date (copied on purpose: a
# migration must not change when the model does).
CLINICIAN_TABLES = (
    ("clinician", "id", ("UPDATE", "DELETE")),
    ("clinician_language", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_taxonomy", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_competency", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("license", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_location", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("network_participation", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
)
PG_TXID = "pg_current_xact_id()::text::bigint"


def _sqlite_insert(values):
    return f"INSERT INTO listing_change (clinician_id) {values};"


def sqlite_triggers():
    found = []
    for table, column, writes in CLINICIAN_TABLES:
        for write in writes:
            row = "OLD" if write == "DELETE" else "NEW"
            body = _sqlite_insert(f"VALUES ({row}.{column})")
            if write == "UPDATE":
                body += _sqlite_insert(
                    f"SELECT OLD.{column} WHERE OLD.{column} IS NOT NEW.{column}"
                )
            name = f"listing_change_{table}_{write.lower()}"
            found.append(
                f'CREATE TRIGGER IF NOT EXISTS {name} AFTER {write} ON "{table}" BEGIN {body} END'
            )
    located = "SELECT clinician_id FROM clinician_location WHERE location_id = NEW.id"
    found.append(
        "CREATE TRIGGER IF NOT EXISTS listing_change_location_update AFTER UPDATE ON location "
        f"BEGIN {_sqlite_insert(located)} END"
    )
    return found


def _pg_function(name, select):
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
        f"INSERT INTO listing_change (clinician_id, txid) {select}; RETURN NULL; "
        "END $$ LANGUAGE plpgsql"
    )


def _pg_trigger(name, write, table, rows, function):
    referencing = f"REFERENCING {rows} " if rows else ""
    return (
        f'CREATE OR REPLACE TRIGGER {name} AFTER {write} ON "{table}" {referencing}'
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def postgresql_triggers():
    found = [_pg_function("listing_change_everything", f"VALUES (NULL, {PG_TXID})")]
    for table, column, writes in CLINICIAN_TABLES:
        for side in ("new", "old"):
            select = f"SELECT DISTINCT {column}, {PG_TXID} FROM {side}_rows"
            found.append(_pg_function(f"listing_change_{table}_{side}", select))
        for write in writes:
            sides = {"INSERT": ("new",), "UPDATE": ("new", "old"), "DELETE": ("old",)}[write]
            for side in sides:
                rows = f"{side.upper()} TABLE AS {side}_rows"
                name = f"listing_change_{table}_{write.lower()}_{side}"
                function = f"listing_change_{table}_{side}"
                found.append(_pg_trigger(name, write, table, rows, function))
        name = f"listing_change_{table}_truncate"
        found.append(_pg_trigger(name, "TRUNCATE", table, "", "listing_change_everything"))
    select = (
        f"SELECT DISTINCT l.clinician_id, {PG_TXID} FROM new_rows n "
        "JOIN clinician_location l ON l.location_id = n.id"
    )
    found.append(_pg_function("listing_change_location_new", select))
    found.append(
        _pg_trigger(
            "listing_change_location_update_new",
            "UPDATE",
            "location",
            "NEW TABLE AS new_rows",
            "listing_change_location_new",
        )
    )
    return found


def _triggers():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite_triggers()
    if dialect == "postgresql":
        return postgresql_triggers()
    raise NotImplementedError(f"listing change triggers for {dialect}")


def upgrade():
    op.create_table('listing_change',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('clinician_id', sa.BigInteger(), nullable=True),
    sa.Column('txid', sa.BigInteger(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_listing_change')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('listing_change', schema=None) as batch_op:
        batch_op.create_index('ix_listing_change_txid', ['txid'], unique=False, sqlite_where=sa.text('txid IS NOT NULL'))
    for statement in _triggers():
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, _, _ in CLINICIAN_TABLES:
            op.execute(f'DROP FUNCTION IF EXISTS listing_change_{table}_new() CASCADE')
            op.execute(f'DROP FUNCTION IF EXISTS listing_change_{table}_old() CASCADE')
        op.execute("DROP FUNCTION IF EXISTS listing_change_location_new() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS listing_change_everything() CASCADE")
    else:
        for table, _, writes in CLINICIAN_TABLES:
            for write in writes:
                op.execute(f"DROP TRIGGER IF EXISTS listing_change_{table}_{write.lower()}")
        op.execute("DROP TRIGGER IF EXISTS listing_change_location_update")
    with op.batch_alter_table('listing_change', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_change_txid', sqlite_where=sa.text('txid IS NOT NULL'))

    op.drop_table('listing_change')
