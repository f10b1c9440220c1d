"""`flask audit verify`: check the hash chain."""

import click
from flask.cli import AppGroup

from audit.log import verify_chain

audit_cli = AppGroup("audit", help="Inspect the audit log.")


@audit_cli.command("verify")
def verify_command():
    """Recompute the hash chain; exit 1 at the first event that does not match."""
    ok, checked, bad_id = verify_chain()
    if ok:
        click.echo(f"audit chain ok: {checked} events verified")
        return
    click.echo(f"audit chain BROKEN at event {bad_id} ({checked} events before it verified)")
    raise SystemExit(1)
