"""`flask referrals` jobs (expire, overdue, Part 2, summary) and `flask subscriptions heartbeat`."""

from __future__ import annotations

import time
from collections import Counter

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.content import reclassify
from referrals.followup import overdue_queue
from referrals.models import Referral
from referrals.rollup import rebuild_rollup
from referrals.summary import rebuild
from referrals.summary_months import rebuild_months
from referrals.use_cases import expire_idle, zone
from referrals.use_cases.subscription_heartbeat import send_heartbeats

referrals_cli = AppGroup("referrals", help="Referral follow-up jobs.")
subscriptions_cli = AppGroup("subscriptions", help="FHIR Subscription jobs.")


class _Operator:
    """The system acting with an administrator's view, for the overdue count."""

    role = "admin"
    organization_id = None
    npis = frozenset()
    plan_ids = frozenset()


@referrals_cli.command("expire")
@click.option("--after-days", type=int, default=None, help="Days without progress (config).")
def expire_command(after_days: int | None) -> None:
    """Expire open referrals with no step for REFERRAL_EXPIRE_AFTER_DAYS days."""
    days = after_days or current_app.config.get("REFERRAL_EXPIRE_AFTER_DAYS", 30)
    expired = expire_idle(utcnow(), days)
    click.echo(f"expired {len(expired)} referral(s)")


@referrals_cli.command("overdue")
def overdue_command() -> None:
    """Count overdue referrals by reason (no patient data is printed)."""
    queue = overdue_queue(_Operator(), utcnow(), zone())
    counts = Counter(entry.reason for entry in queue)
    for reason in ("not_acknowledged", "no_appointment"):
        click.echo(f"{reason}: {counts.get(reason, 0)}")


@referrals_cli.command("classify")
def classify_command() -> None:
    """Classify every referral for 42 CFR Part 2 again (after the rule's data file changed)."""
    newly = 0
    for referral in db.session.scalars(select(Referral).order_by(Referral.id)).all():
        was = referral.part2
        reclassify(referral)
        if referral.part2 and not was:
            newly += 1
            record(None, "classify", "referral", referral.id)
    db.session.commit()
    click.echo(f"part 2 newly found: {newly}")


@referrals_cli.command("rebuild-summary")
def rebuild_summary_command() -> None:
    """Rewrite the funnel summary of every referral from its events (idempotent, in batches)."""
    after, batches = rebuild(db.session.connection(), zone()), 0
    while after:
        db.session.commit()  # one batch per transaction: a long rebuild never holds a big one
        batches += 1
        after = rebuild(db.session.connection(), zone(), after)
    # Recounted from the rows just written: the batches above do not keep the counts.
    cells = rebuild_rollup(db.session.connection())
    months = rebuild_months(db.session.connection())
    db.session.commit()
    click.echo(
        f"summary rebuilt in {batches} batch(es), rollup of {cells} cell(s), "
        f"{months} clinician month(s)"
    )


@subscriptions_cli.command("heartbeat")
@click.option("--loop", is_flag=True, help="Keep sending until stopped.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between rounds.")
def heartbeat_command(loop: bool, interval: float) -> None:
    """Send a heartbeat to each subscription that heard nothing for its heartbeatPeriod."""
    while True:
        sent = send_heartbeats(current_app.config)
        click.echo(f"queued {len(sent)} heartbeat(s)")
        if not loop:
            return
        time.sleep(interval)
