"""PostgreSQL privileges of the application's role: ordinary DML, but audit_event append-only.

The role that runs migrations owns the tables (an owner can lift triggers, so the app must not
be it). After every `flask db upgrade`, the owner runs `flask audit grants --app-role R --apply`;
migrations/roles.sql creates the two roles once.
"""

from __future__ import annotations

import re

from sqlalchemy import MetaData

# Tables the application may read and append to, never change, delete from or truncate.
APPEND_ONLY_TABLES = frozenset({"audit_event"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def quoted(name: str) -> str:
    """A plain SQL identifier, double-quoted; anything else is refused, never escaped."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def table_privileges(table_name: str) -> str:
    """What the app role may do on this table."""
    if table_name in APPEND_ONLY_TABLES:
        return "SELECT, INSERT"
    return "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(metadata: MetaData, app_role: str, schema: str = "public") -> list[str]:
    """REVOKE ALL then GRANT, per table of `metadata`, so running it twice changes nothing."""
    role, space = quoted(app_role), quoted(schema)
    statements = [f"GRANT USAGE ON SCHEMA {space} TO {role}"]
    for table in metadata.sorted_tables:
        name = f"{space}.{quoted(table.name)}"
        statements.append(f"REVOKE ALL ON {name} FROM {role}")
        statements.append(f"GRANT {table_privileges(table.name)} ON {name} TO {role}")
    # USAGE allows nextval (inserts); UPDATE would allow setval, which no insert needs.
    statements.append(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {space} FROM {role}")
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {space} TO {role}")
    return statements
