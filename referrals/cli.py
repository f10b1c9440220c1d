"""`flask referrals ...`: expire abandoned referrals, count the overdue queue (ids only)."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.followup import expire_stale, overdue_queue
from referrals.notify import notify

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
    expired = expire_stale(utcnow(), days)
    for referral in expired:
        record(None, "event:expire", "referral", referral.id)
    db.session.commit()
    for referral in expired:
        notify(current_app.config, referral)
    click.echo(f"expired {len(expired)} referral(s)")


@referrals_cli.command("overdue")
def overdue_command() -> None:
    """Count overdue referrals by reason (no patient data is printed)."""
    zone = ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")
    queue = overdue_queue(_Operator(), utcnow(), zone)
    counts = Counter(entry.reason for entry in queue)
    for reason in ("not_acknowledged", "no_appointment"):
        click.echo(f"{reason}: {counts.get(reason, 0)}")
