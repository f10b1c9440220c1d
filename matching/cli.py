"""`flask searches purge`: delete the patient searches whose results address has expired."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory.extensions import db
from directory.models.verification import utcnow
from matching.saved_searches import purge_expired

searches_cli = AppGroup("searches", help="Patient searches kept behind a results address.")


@searches_cli.command("purge")
def purge() -> None:
    """Delete every expired search now (each new search also deletes them)."""
    removed = purge_expired(utcnow())
    db.session.commit()
    click.echo(f"{removed} expired searches deleted")
