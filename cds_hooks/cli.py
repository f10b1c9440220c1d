"""`flask cds-hooks add-client|deactivate-client`: who may call the CDS services."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cds.use_cases import deactivate_client, register_client

cds_hooks_cli = AppGroup("cds-hooks", help="Manage CDS Hooks clients (EHRs).")


@cds_hooks_cli.command("add-client")
@click.option("--iss", required=True, help="The JWT issuer the EHR signs with.")
@click.option("--fhir-server", help="The EHR's FHIR base URL (fetching missing prefetch).")
def add_client_command(iss: str, fhir_server: str | None) -> None:
    """Register a client (or re-key it) and print its new HS256 secret once."""
    client = register_client(iss.strip(), fhir_server)
    click.echo(f"client {client.id} ({client.iss}); HS256 secret: {client.secret}")


@cds_hooks_cli.command("deactivate-client")
@click.option("--iss", required=True)
def deactivate_client_command(iss: str) -> None:
    """Stop accepting a client's tokens."""
    if not deactivate_client(iss.strip()):
        raise click.ClickException(f"no CDS client {iss!r}")
    click.echo(f"deactivated {iss}")
