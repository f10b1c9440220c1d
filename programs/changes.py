"""The program change stamp: a new random number whenever a searched program table changes.

The in-memory program index (programs.index) is current while the stamp it was built at is
the stamp a request reads. Triggers, not ORM events, write it, so nothing that reaches the
database bypasses it (loaders, Core bulk statements, an operator's SQL). A random stamp rather
than a counter: after every row is deleted (the suite empties tables between tests) a counter
would restart and could meet an old index's number again; a 63-bit random one does not.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db

# What a search reads: the services, their sites (hours) and the sites' places.
SEARCHED_TABLES = ("program_service", "program_site", "program_location")
WRITES = ("INSERT", "UPDATE", "DELETE")
STAMP_QUERY = "SELECT stamp FROM program_change WHERE id = 1"


class ProgramChange(db.Model):
    """One row (id 1): the stamp of the last write to a searched program table."""

    __tablename__ = "program_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[int] = mapped_column(BigInteger)


def sqlite_triggers() -> list[str]:
    """Row triggers for SQLite (which has no statement triggers)."""
    body = "INSERT OR REPLACE INTO program_change (id, stamp) VALUES (1, random());"
    return [
        f"CREATE TRIGGER IF NOT EXISTS program_change_{table}_{write.lower()} "
        f'AFTER {write} ON "{table}" BEGIN {body} END'
        for table in SEARCHED_TABLES
        for write in WRITES
    ]


def postgresql_triggers() -> list[str]:
    """One statement trigger per table and write (COPY and TRUNCATE included)."""
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


def install_triggers(connection: Connection) -> None:
    """Create the triggers for the connection's dialect (the tables must exist)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statements = sqlite_triggers()
    elif dialect == "postgresql":
        statements = postgresql_triggers()
    else:
        raise NotImplementedError(f"program change triggers for {dialect}")
    for statement in statements:
        connection.exec_driver_sql(statement)


def read_stamp(connection: Connection) -> int | None:
    """The current stamp as `connection` sees it; None before any program was written."""
    # A driver call: this runs on every search, and SQLAlchemy's compile step costs more.
    return connection.exec_driver_sql(STAMP_QUERY).scalar()


def _after_create(metadata, connection, **_) -> None:
    if ProgramChange.__table__.name in {t.name for t in metadata.sorted_tables}:
        install_triggers(connection)


event.listen(db.Model.metadata, "after_create", _after_create)
