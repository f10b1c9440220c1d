"""`flask referrals ...`: expire abandoned referrals, count the overdue queue, reclassify Part 2."""

from __future__ import annotations

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
from referrals.use_cases import expire_idle, zone

referrals_cli = AppGroup("referrals", help="Referral follow-up jobs.")


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
