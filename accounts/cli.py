"""`flask users create|set-password|reset-mfa`, `flask apikeys create|revoke|list`,
`flask orgs link-plans`, `flask plans list|member-id-format|load-member-id-formats`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from accounts.keys import issue_api_key
from accounts.mfa import disable_totp
from accounts.models import ROLES, SCOPES, ApiKey, User
from accounts.organizations import find_organization, link_plans, parse_plan_ids
from accounts.sessions import end_user_sessions
from accounts.users import create_user, has_listing, set_user_password
from audit.log import record
from directory.extensions import db
from directory.member_ids import check_format
from directory.models.verification import utcnow
from directory.plan_formats import (
    check_source,
    find_plan,
    plans,
    read_format_rows,
    save_format,
)

users_cli = AppGroup("users", help="Manage user accounts.")
apikeys_cli = AppGroup("apikeys", help="Manage organizations' API keys.")
orgs_cli = AppGroup("orgs", help="Manage organizations' account settings.")
plans_cli = AppGroup("plans", help="Manage plans: the formats of their member ids.")


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from stdin (for scripts)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def _organization(ref: str):
    try:
        org = find_organization(ref)
    except ValueError as err:
        _fail(str(err))
    if org is None:
        _fail(f"no organization {ref!r}")
    return org


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--org", "org_ref", required=True, help="Organization id, external id or name.")
@click.option("--npi", help="Clinician users: the NPI of their directory listing.")
@click.option("--plans", help="Plan staff: comma-separated plan/network ids their org runs.")
@click.option("--program-org", help="Community users: their program organization's id.")
@click.option("--name", "full_name", help="The person's name, as referrals name the referrer.")
@click.option("--credentials", help='Their credentials, e.g. "MD" or "NP".')
@click.option("--phone", help="Their work phone.")
def create_user_command(email, role, org_ref, npi, plans, program_org, **profile):
    """Create a user; the password is read from stdin (at least 12 characters)."""
    password = _read_password()
    try:
        plan_ids = parse_plan_ids(plans)
        user, created = create_user(
            email, role, org_ref, password, npi, plan_ids, program_org, profile
        )
    except ValueError as err:
        _fail(str(err))
    record(None, "create", "user", user.id)
    db.session.commit()
    if created:
        click.echo(f"created organization {user.organization_id} ({user.organization.kind})")
    if user.npi and not has_listing(user.npi):
        click.echo(f"warning: no directory listing has NPI {user.npi} yet", err=True)
    click.echo(f"created user {user.id} ({role}) in organization {user.organization_id}")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        _fail("no user with that email")
    return user


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.option(
    "--temporary/--final",
    default=True,
    help="Temporary (the default): the user must change it at the next sign-in.",
)
def set_password_command(email, temporary):
    """Set a user's password from stdin; ends all of their sessions."""
    user = _user(email)
    password = _read_password()
    try:
        set_user_password(user, password, must_change=temporary)
    except ValueError as err:
        _fail(str(err))
    record(None, "password_set", "user", user.id)
    db.session.commit()
    ended = end_user_sessions(user.id)
    state = "to be changed at the next sign-in" if temporary else "final"
    click.echo(f"user {user.id}: password set ({state}); {ended} session(s) ended")


@users_cli.command("reset-mfa")
@click.option("--email", required=True)
def reset_mfa_command(email):
    """Turn a user's two-step sign-in off (a lost device); ends all of their sessions."""
    user = _user(email)
    disable_totp(user)
    record(None, "mfa_reset", "user", user.id)
    db.session.commit()
    ended = end_user_sessions(user.id)
    click.echo(f"user {user.id}: two-step sign-in off; {ended} session(s) ended")


@apikeys_cli.command("create")
@click.option("--org", "org_ref", required=True, help="Organization id, external id or name.")
@click.option("--scopes", required=True, help=f"Comma-separated: {', '.join(SCOPES)}.")
def create_key_command(org_ref, scopes):
    """Issue a key; it is printed once, alone on the last line, and stored only as a hash."""
    org = _organization(org_ref)
    try:
        row, key = issue_api_key(org, scopes)
    except ValueError as err:
        _fail(str(err))
    db.session.flush()
    record(None, "create", "api_key", row.id)
    db.session.commit()
    click.echo(f"API key {row.prefix} for organization {org.id}, scopes {','.join(row.scopes)}")
    click.echo("Store it now; it cannot be shown again:")
    click.echo(key)


@apikeys_cli.command("revoke")
@click.argument("prefix")
def revoke_key_command(prefix):
    """Revoke the key whose prefix (the part after `bhd_`) is PREFIX."""
    row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix.strip()))
    if row is None:
        _fail(f"no API key {prefix!r}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(None, "revoke", "api_key", row.id)
        db.session.commit()
    click.echo(f"revoked API key {row.prefix}")


@apikeys_cli.command("list")
@click.option("--org", "org_ref", help="Only this organization's keys.")
def list_keys_command(org_ref):
    """Key prefixes, organizations, scopes and state (never the keys)."""
    stmt = select(ApiKey).order_by(ApiKey.id)
    if org_ref:
        stmt = stmt.where(ApiKey.organization_id == _organization(org_ref).id)
    for row in db.session.scalars(stmt):
        state = "revoked" if row.is_revoked else "active"
        used = row.last_used_at.isoformat() if row.last_used_at else "never"
        click.echo(
            f"{row.prefix}  org {row.organization_id}  {','.join(row.scopes)}  {state}  "
            f"last used {used}"
        )


@orgs_cli.command("link-plans")
@click.option("--org", "org_ref", required=True, help="Health-plan organization.")
@click.option("--plans", required=True, help="Comma-separated plan/network ids.")
def link_plans_command(org_ref, plans):
    """Record which plans a health-plan organization administers."""
    org = _organization(org_ref)
    try:
        new = link_plans(org, parse_plan_ids(plans))
    except ValueError as err:
        _fail(str(err))
    db.session.commit()
    click.echo(f"organization {org.id}: linked {len(new)} new plan(s)")


@plans_cli.command("list")
def list_plans_command():
    """Every plan with its member-id format and where it came from."""
    for plan in plans():
        shown = f"{plan.member_id_format}  ({plan.member_id_format_source})"
        click.echo(f"{plan.id}  {shown if plan.member_id_format else 'no member-id format'}")


@plans_cli.command("member-id-format")
@click.argument("plan_id")
@click.argument("member_id_format", required=False)
@click.option("--source", help="Where the format comes from, e.g. the plan's ID-card guide.")
@click.option("--clear", is_flag=True, help="Forget the plan's format.")
def member_id_format_command(plan_id, member_id_format, source, clear):
    """Set the format of PLAN_ID's member ids, e.g. '^T\\d{9}$' (quote it for the shell)."""
    try:
        plan = find_plan(plan_id)
        if clear:
            save_format(plan, None, None)
        else:
            save_format(plan, check_format(member_id_format or ""), check_source(source))
    except ValueError as err:
        _fail(str(err))
    record(None, "member_id_format_clear" if clear else "member_id_format_set", "plan", plan.id)
    db.session.commit()
    click.echo(f"plan {plan.id}: {plan.member_id_format or 'no member-id format'}")


@plans_cli.command("load-member-id-formats")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_member_id_formats_command(path: Path):
    """Load formats from a CSV with columns plan_id, member_id_format, source (all or none)."""
    try:
        rows = read_format_rows(path)
    except ValueError as err:
        _fail(str(err))
    for plan, member_id_format, source in rows:
        save_format(plan, member_id_format, source)
        record(None, "member_id_format_set", "plan", plan.id)
    db.session.commit()
    click.echo(f"{len(rows)} plan(s) given a member-id format")
