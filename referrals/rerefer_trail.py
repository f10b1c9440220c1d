"""After a one-step re-referral: audit both referrals, commit, then notify."""

from __future__ import annotations

from flask import current_app

from audit.log import record
from directory.extensions import db
from referrals.models import Referral
from referrals.notify import notify


def complete_rerefer(actor, old: Referral, new: Referral, old_status_before: str) -> None:
    """Record what the re-referral did, commit it, and tell the people concerned."""
    cancelled = old.status != old_status_before
    record(actor, "rerefer", "referral", old.id)
    if cancelled:
        record(actor, "event:cancel", "referral", old.id)
    record(actor, "create", "referral", new.id)
    if new.consent is not None:
        record(actor, "create", "consent", new.consent.id)
    record(actor, "event:send", "referral", new.id)
    db.session.commit()
    # Mail goes out only after the commit: a notice must never describe a rolled-back step.
    if cancelled:
        notify(current_app.config, old)
    notify(current_app.config, new)
