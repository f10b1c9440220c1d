"""The structured return from the behavioral-health clinician: send one, read them; audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from audit.log import record
from directory.extensions import db
from outbox.queue import deliver_ids
from referrals.checklist import RECEIVED_ITEMS, receive
from referrals.errors import Conflict, Denied, Malformed
from referrals.notify import queue_return_notice
from referrals.return_schemas import ReturnSchema
from referrals.returns import NOT_YET, ReturnView, accepts_returns, build
from referrals.use_cases.reads import Shown, disclose, load_visible
from referrals.use_cases.return_reads import returns_for
from referrals.use_cases.subscription_events import queue_task_notices
from referrals.use_cases.trail import audit_refusal, parse, refusals


@dataclass(frozen=True)
class WithReturns:
    """A referral as one reader may see it, with the returns on it as they may see them."""

    shown: Shown
    returns: list[ReturnView]


def _sender(actor, referral_id: int):
    """The referral when the actor is its receiving clinician (or their practice)."""
    referral, found = load_visible(actor, referral_id, "return")
    if "receiver" not in found:
        audit_refusal(actor, "return", referral_id, "denied")
        raise Denied("only the receiving clinician may send a return", code="return_role")
    return referral


def send_return(actor, referral_id: int, body, now: datetime) -> ReturnView:
    """Keep the clinician's structured return, mark the step received, tell the PCP; commits."""
    referral = _sender(actor, referral_id)
    with refusals(actor, "return", referral_id):
        if not accepts_returns(referral):
            raise Conflict(NOT_YET, code="not_acknowledged")
        if not isinstance(body, dict):
            raise Malformed("send a JSON object")
        row = build(referral, parse(ReturnSchema(), body), actor, now)
        db.session.add(row)
        db.session.flush()
        for item in RECEIVED_ITEMS:
            receive(referral, item, actor, now)
        referral.updated_at = now
        record(actor, "create", "referral_return", row.id)
        record(actor, "update", "referral", referral.id)
        ids = queue_return_notice(current_app.config, referral)
        ids += queue_task_notices(current_app.config, referral)
    db.session.commit()
    # Tried after the commit: a notice must never describe a return that was rolled back.
    deliver_ids(current_app.config, ids)
    return ReturnView(row, allowed=True)  # the sender's own record


def read_with_returns(actor, referral_id: int) -> WithReturns:
    """One referral with its returns, as the actor may see them; commits the audit."""
    referral, found = load_visible(actor, referral_id, "read")
    shown = disclose(actor, referral, found)
    views = returns_for(actor, shown)
    db.session.commit()
    return WithReturns(shown, views)
