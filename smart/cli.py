"""`flask smart register|list`: the EHRs that may launch the app, and our client at each."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from smart.models import AUTH_METHODS, DEFAULT_SCOPES, EhrRegistration

smart_cli = AppGroup("smart", help="Register EHRs for SMART App Launch.")


def _check(auth_method: str, secret_env: str | None, key_file: str | None) -> None:
    """Each client type needs its credential, and only that one."""
    if auth_method == "client_secret_basic" and not secret_env:
        raise click.UsageError("client_secret_basic needs --client-secret-env")
    if auth_method == "private_key_jwt" and not (key_file and Path(key_file).is_file()):
        raise click.UsageError("private_key_jwt needs --private-key-file naming a PEM file")
    if auth_method == "none" and (secret_env or key_file):
        raise click.UsageError("a public client (none) takes no secret or key")


@smart_cli.command("register")
@click.option("--issuer", required=True, help="The EHR's FHIR base URL (the launch's iss).")
@click.option("--name", required=True, help="The EHR's name, as pages show it.")
@click.option("--client-id", required=True, help="Our client_id at the EHR.")
@click.option("--auth-method", type=click.Choice(AUTH_METHODS), default="none", show_default=True)
@click.option("--client-secret-env", help="Environment variable holding the client secret.")
@click.option("--private-key-file", help="PEM file of our private key (private_key_jwt).")
@click.option("--key-id", help="The kid of that key in the JWKS registered at the EHR.")
@click.option("--scopes", default=DEFAULT_SCOPES, show_default=True)
def register_command(
    issuer, name, client_id, auth_method, client_secret_env, private_key_file, key_id, scopes
):
    """Add an EHR, or update the one with this issuer."""
    _check(auth_method, client_secret_env, private_key_file)
    issuer = issuer.strip().rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise click.UsageError("--issuer must be an http(s) URL")
    ehr = db.session.scalar(select(EhrRegistration).where(EhrRegistration.issuer == issuer))
    created = ehr is None
    ehr = ehr or EhrRegistration(issuer=issuer)
    ehr.name, ehr.client_id, ehr.auth_method, ehr.scopes = name, client_id, auth_method, scopes
    ehr.client_secret_env, ehr.private_key_id = client_secret_env, key_id
    ehr.private_key_path = str(Path(private_key_file).resolve()) if private_key_file else None
    db.session.add(ehr)
    db.session.flush()
    record(None, "create" if created else "update", "smart_ehr", ehr.id)
    db.session.commit()
    click.echo(f"{'registered' if created else 'updated'} EHR {ehr.id}: {issuer}")


@smart_cli.command("list")
def list_command():
    """The registered EHRs (never a secret: only where it is kept)."""
    for ehr in db.session.scalars(select(EhrRegistration).order_by(EhrRegistration.id)):
        where = ehr.client_secret_env or ehr.private_key_path or "-"
        click.echo(
            f"{ehr.id}\t{ehr.issuer}\t{ehr.name}\t{ehr.client_id}\t{ehr.auth_method}\t{where}"
        )
