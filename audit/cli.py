"""`flask audit verify | checkpoint | grants`."""

import click
from flask import current_app
from flask.cli import AppGroup

from audit.checkpoint_file import checkpoint_path
from audit.checkpoints import checkpoint_now
from audit.grants import grant_statements
from audit.keys import keyring
from audit.verify import verify_log
from directory.extensions import db

audit_cli = AppGroup("audit", help="Inspect and protect the audit log.")


@audit_cli.command("verify")
@click.option(
    "--strict", is_flag=True, help="Also exit 1 on warnings (e.g. no checkpoint file to check)."
)
def verify_command(strict: bool):
    """Check the keyed chain and the newest checkpoint; exit 1 on tampering."""
    path = checkpoint_path(current_app)
    every = max(1, current_app.config.get("AUDIT_CHECKPOINT_EVERY") or 100)
    verdict = verify_log(db.session, keyring(create=False), path, every)
    for note in verdict.notes:
        click.echo(note)
    for warning in verdict.warnings:
        click.echo(f"warning: {warning}", err=True)
    for failure in verdict.failures:
        click.echo(failure, err=True)
    if verdict.failures or (strict and verdict.warnings):
        raise SystemExit(1)


@audit_cli.command("checkpoint")
def checkpoint_command():
    """Write a checkpoint of the newest event now (after an upgrade, before a shutdown)."""
    checkpoint = checkpoint_now("cli")
    if checkpoint is None:
        click.echo("nothing to checkpoint: the audit log is empty")
        return
    click.echo(
        f"checkpoint written to {checkpoint_path(current_app)}: event {checkpoint.sequence}, "
        f"{checkpoint.count} events, key {checkpoint.key_id}"
    )


@audit_cli.command("grants")
@click.option("--app-role", required=True, help="The role the application connects as.")
@click.option("--apply", is_flag=True, help="Run the statements (as the tables' owner).")
def grants_command(app_role: str, apply: bool):
    """Print (or apply) PostgreSQL grants: the app role may only SELECT and INSERT audit_event."""
    statements = grant_statements(db.metadata, app_role)
    if apply:
        if db.engine.dialect.name != "postgresql":
            raise click.ClickException("grants apply to PostgreSQL only")
        with db.engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        click.echo(f"applied {len(statements)} statements for role {app_role}")
        return
    for statement in statements:
        click.echo(statement + ";")
