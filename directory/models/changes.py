"""The listing change log: which clinicians' matching facts changed, written by triggers.

Derived stores (the in-memory match index) replay it to stay current. Triggers, not ORM
events, write it, so nothing that reaches the database bypasses it: ORM flushes, Core bulk
statements, loaders, the Flask shell or an operator's SQL. A row with no clinician means "any
listing may have changed" (a TRUNCATE): readers start over.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, event, func, text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db

# (table, the column naming the clinician, the writes that can change a listing). A new
# clinician row matters only once a place, license or other child row names it, and those
# inserts are logged, so clinician INSERTs are not.
CLINICIAN_TABLES = (
    ("clinician", "id", ("UPDATE", "DELETE")),
    ("clinician_language", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_taxonomy", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_competency", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("license", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("clinician_location", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
    ("network_participation", "clinician_id", ("INSERT", "UPDATE", "DELETE")),
)
# A location's new address, point, hours or access changes every clinician practising there;
# deleting one cascades to clinician_location, whose own triggers fire.
SQLITE_LOCATION = "SELECT clinician_id FROM clinician_location WHERE location_id = NEW.id"
PG_TXID = "pg_current_xact_id()::text::bigint"


class ListingChange(db.Model):
    """One write to a clinician's listing (or, without a clinician, to all of them)."""

    __tablename__ = "listing_change"
    # AUTOINCREMENT: SQLite never reuses a number, even after old rows are pruned.
    __table_args__ = (
        Index("ix_listing_change_txid", "txid", sqlite_where=text("txid IS NOT NULL")),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    clinician_id: Mapped[int | None] = mapped_column(BigInteger)
    # PostgreSQL only: the writing transaction, so readers never skip a late commit whose
    # seq is lower than one they have already read (sequences are not commit-ordered).
    txid: Mapped[int | None] = mapped_column(BigInteger)
    # When the change was logged (the database's clock), so old rows can be pruned.
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def _sqlite_insert(values: str) -> str:
    return f"INSERT INTO listing_change (clinician_id) {values};"


def sqlite_triggers() -> list[str]:
    """Row triggers for SQLite (which has no statement triggers)."""
    found = []
    for table, column, writes in CLINICIAN_TABLES:
        for write in writes:
            row = "OLD" if write == "DELETE" else "NEW"
            body = _sqlite_insert(f"VALUES ({row}.{column})")
            if write == "UPDATE":  # a row moved to another clinician changes both
                body += _sqlite_insert(
                    f"SELECT OLD.{column} WHERE OLD.{column} IS NOT NEW.{column}"
                )
            name = f"listing_change_{table}_{write.lower()}"
            found.append(
                f'CREATE TRIGGER IF NOT EXISTS {name} AFTER {write} ON "{table}" BEGIN {body} END'
            )
    found.append(
        "CREATE TRIGGER IF NOT EXISTS listing_change_location_update AFTER UPDATE ON location "
        f"BEGIN {_sqlite_insert(SQLITE_LOCATION)} END"
    )
    return found


def _pg_function(name: str, select: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
        f"INSERT INTO listing_change (clinician_id, txid) {select}; RETURN NULL; "
        "END $$ LANGUAGE plpgsql"
    )


def _pg_trigger(name: str, write: str, table: str, rows: str, function: str) -> str:
    referencing = f"REFERENCING {rows} " if rows else ""
    return (
        f'CREATE OR REPLACE TRIGGER {name} AFTER {write} ON "{table}" {referencing}'
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def postgresql_triggers() -> list[str]:
    """Statement triggers over transition tables: one insert per statement, COPY included."""
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
                found.append(
                    _pg_trigger(name, write, table, rows, f"listing_change_{table}_{side}")
                )
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


def install_triggers(connection) -> None:
    """Create the triggers for the connection's dialect (the tables must exist)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statements = sqlite_triggers()
    elif dialect == "postgresql":
        statements = postgresql_triggers()
    else:
        raise NotImplementedError(f"listing change triggers for {dialect}")
    for statement in statements:
        connection.exec_driver_sql(statement)


def _after_create(metadata, connection, **_) -> None:
    # After every table exists: the triggers name clinician, its children and location.
    if ListingChange.__table__.name in {t.name for t in metadata.sorted_tables}:
        install_triggers(connection)


event.listen(db.Model.metadata, "after_create", _after_create)
