"""`flask demo generate|load|users|registry`: a synthetic directory, users, registry patients."""

from datetime import UTC, date, datetime, time
from pathlib import Path
from time import perf_counter

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from accounts.models import User
from accounts.sessions import end_user_sessions
from demo.program_referrals import DEMO_REFERRALS, demo_sites, referral_body
from demo.registry import HISTORIES, load_histories
from demo.users import demo_clinician, demo_person, ensure_user, plans_for
from directory.extensions import db
from ingest.progress import Progress

demo_cli = AppGroup("demo", help="Generate a demo directory.")

clinicians_option = click.option(
    "--clinicians",
    type=click.IntRange(min=1),
    help="How many clinicians to generate.",
)
seed_option = click.option(
    "--seed", type=int, default=1, show_default=True, help="Same seed, same directory."
)
as_of_option = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day availability and verification dates count from (default: today, UTC).",
)


def _as_of(value: datetime | None) -> date:
    return value.date() if value else datetime.now(UTC).date()


def _generate(clinicians: int, seed: int, as_of: date, batch_size: int = 5000) -> None:
    """Generate with a progress bar on a terminal, then print counts and speed."""
    # The generator (names, places, ZIP data) loads when a demo command runs, not in every
    # serving worker that registers the command group (~1.3 MB resident).
    from demo.generator import generate

    started = perf_counter()
    with Progress(clinicians, "Generating demo directory") as bar:
        summary = generate(
            clinicians,
            seed,
            as_of,
            batch_size=batch_size,
            progress=bar.advance_to,
        )
    seconds = perf_counter() - started
    click.echo(
        f"demo directory: {summary.clinicians} clinicians, {summary.organizations} organizations"
        f" (seed {seed}, as of {as_of.isoformat()}) in {seconds:.1f} s"
        f" ({summary.clinicians / max(seconds, 1e-9):.0f} clinicians/s)"
    )
    if summary.skipped:
        click.echo(f"{summary.skipped} generated NPI(s) already listed by another source; skipped")


@demo_cli.command("generate")
@clinicians_option
@seed_option
@as_of_option
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Clinicians written per transaction.",
)
def generate_command(
    clinicians: int | None, seed: int, as_of: datetime | None, batch_size: int
) -> None:
    """Replace the demo directory with N synthetic clinicians (other sources are kept)."""
    if clinicians is None:
        raise click.UsageError("--clinicians is required")
    _generate(clinicians, seed, _as_of(as_of), batch_size)


@demo_cli.command("load")
@clinicians_option
@seed_option
@as_of_option
def load_command(clinicians: int | None, seed: int, as_of: datetime | None) -> None:
    """On an empty directory: generate the demo directory and load the sample roster."""
    # Loaded when the command runs, as _generate's generator is.
    from demo.generator import DEFAULT_CLINICIANS, SAMPLE_ROSTER, directory_is_empty
    from ingest.kinds import load_file

    if not directory_is_empty():
        click.echo("The directory already has clinicians; demo data not loaded.")
        return
    _generate(clinicians or DEFAULT_CLINICIANS, seed, _as_of(as_of))
    click.echo(f"sample roster {SAMPLE_ROSTER.name}:")
    rejects = Path(current_app.instance_path) / "rejects" / "demo-roster.csv"
    batch = current_app.config["INGEST_BATCH_SIZE"]
    summary, report = load_file("roster", SAMPLE_ROSTER, rejects, batch)
    click.echo(summary.line())
    if report.count:
        click.echo(f"{report.count} rejected row(s) written to {report.path}")
    _load_programs(seed, _as_of(as_of))


def _load_programs(seed: int, as_of: date) -> None:
    """Community and SUD programs around the demo clinicians."""
    from demo.programs import load_demo_programs

    summary = load_demo_programs(seed, as_of)
    click.echo(f"demo programs: {summary.line()}")


@demo_cli.command("programs")
@seed_option
@as_of_option
def programs_command(seed: int, as_of: datetime | None) -> None:
    """Load (or refresh) the demo programs around the demo clinicians."""
    _load_programs(seed, _as_of(as_of))


@demo_cli.command("users")
@click.option("--reset", is_flag=True, help="Give existing demo users new passwords.")
def demo_users_command(reset: bool) -> None:
    """Create a user per role (PCP, plan staff, clinician, admin, community organization staff,
    practice manager) and a few demo program referrals; print passwords to change."""
    found = demo_clinician()
    if found is None:
        raise click.ClickException("load a directory first: flask demo load")
    clinician, location, network = found
    plans = plans_for(network)
    sites = demo_sites()
    specs = {
        "pcp": (None, [], None),
        "plan_staff": (None, plans, None),
        "clinician": (clinician.npi, [], None),
        "admin": (None, [], None),
        "practice_manager": (None, [], None),
    }
    if sites is not None:  # the community user works for the demo food pantry
        specs["community"] = (None, [], sites["pantry"].service.organization_id)
    try:
        made = {
            role: ensure_user(role, npi, p, reset, org, demo_person(role, clinician))
            for role, (npi, p, org) in specs.items()
        }
    except ValueError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    if reset:  # after the commit: the session store writes in a transaction of its own
        for email, _password in made.values():
            end_user_sessions(db.session.scalar(select(User.id).where(User.email == email)))
    for role, (email, password) in made.items():
        shown = password or "(exists; --reset for a new password)"
        click.echo(f"{role:<16} {email:<37} {shown}")
    if sites is not None:
        _demo_program_referrals(made["pcp"][0], sites)
    click.echo("Signing in with one of these passwords asks for a new one before anything else.")
    click.echo(
        f"The clinician user is {clinician.display_name} (NPI {clinician.npi}); search near ZIP "
        f"{location.postal_code} with plan {plans[0] if plans else 'any'} to refer to them."
    )


def _demo_program_referrals(pcp_email: str, sites: dict) -> None:
    """The demo PCP's program referrals, made once through the referral use cases."""
    from accounts.identity import actor_for_user
    from directory.models.verification import utcnow
    from referrals import use_cases
    from referrals.models import Referral

    user = db.session.scalar(select(User).where(User.email == pcp_email))
    mine = select(Referral.id).where(
        Referral.referring_organization_id == user.organization_id, Referral.kind == "program"
    )
    if db.session.scalar(mine.limit(1)) is not None:
        return
    pcp, now = actor_for_user(user), utcnow()
    practice, today = user.organization.name, use_cases.local_today(now)
    staff = db.session.scalar(select(User).where(User.role == "community").order_by(User.id))
    for spec in DEMO_REFERRALS:
        body = referral_body(spec, sites[spec.program], practice, today)
        referral = use_cases.create(pcp, body, now).referral
        code = referral.patient_code
        use_cases.move(pcp, referral.id, {"type": "send"}, now)
        for status in spec.reports:  # answered by the demo pantry's staff
            event = {"type": "report", "program_status": status}
            use_cases.move(actor_for_user(staff), referral.id, event, now)
        if code:
            click.echo(f"demo program referral #{referral.id}: patient status code {code}")
    click.echo(f"{len(DEMO_REFERRALS)} demo program referrals from {practice}")


@demo_cli.command("registry")
def demo_registry_command() -> None:
    """Six demo patients of the demo practice with scores and visits; two with a return and plan."""
    from accounts.identity import actor_for_user
    from episodes.models import Episode
    from referrals.use_cases import local_today

    users = {
        role: db.session.scalar(select(User).where(User.email == f"{role}@demo.example.org"))
        for role in ("pcp", "clinician")
    }
    found = demo_clinician()
    if found is None or None in users.values():
        raise click.ClickException("load a directory and its users first: flask demo users")
    pcp = users["pcp"]
    # Its first patient marks the registry demo (the program referrals open episodes too).
    mine = (Episode.organization_id == pcp.organization_id) & (
        Episode.patient_member_id == HISTORIES[0].member
    )
    if db.session.scalar(select(Episode.id).where(mine)):
        click.echo("The demo practice already has patients in its registry.")
        return
    clinician, location, network = found
    # The plan's care managers join the shared care plans (when the demo has them).
    staff = db.session.scalar(select(User).where(User.email == "plan-staff@demo.example.org"))
    plans = plans_for(network)
    made = load_histories(
        actor_for_user(pcp),
        actor_for_user(users["clinician"]),
        clinician.npi,
        location.id,
        plans[0] if plans else None,
        local_today(),
        staff.organization_id if staff is not None else None,
    )
    click.echo(f"{made} demo patients in the registry: sign in as pcp@demo.example.org.")


@demo_cli.command("referrals")
@click.option(
    "--count", type=click.IntRange(min=1, max=200_000), default=600, show_default=True,
    help="How many referrals.",
)  # fmt: skip
@seed_option
@as_of_option
def demo_referrals_command(count: int, seed: int, as_of: datetime | None) -> None:
    """Replace the demo practice's referral history (for the reports) with COUNT referrals."""
    # Loaded when the command runs: it reads the ZIP county table and the screening definitions.
    from demo.referral_history import demo_history, demo_targets, replace_history
    from referrals.use_cases import zone

    pcp = db.session.scalar(select(User).where(User.email == "pcp@demo.example.org"))
    targets = demo_targets()
    if pcp is None or not targets:
        raise click.ClickException("load a directory and its users first: flask demo users")
    # The history runs up to the end of the --as-of day (by default now).
    now = datetime.combine(as_of.date(), time(23, 59), zone()) if as_of else datetime.now(UTC)
    started = perf_counter()
    referrals = demo_history(count, seed, targets, pcp.organization_id, now, zone())
    stored = replace_history(referrals)
    click.echo(
        f"demo referral history: {stored} referrals from {pcp.organization.name} to "
        f"{len(targets)} clinicians (seed {seed}) in {perf_counter() - started:.1f} s"
    )
