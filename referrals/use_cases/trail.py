"""The unit of work around a use case: refusals rolled back and audited, commit, then mail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from marshmallow import Schema, ValidationError

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from outbox.queue import deliver_ids
from referrals.errors import Malformed, ReferralError
from referrals.notify import queue_notify
from referrals.patient_notify import queue_patient_notice
from referrals.use_cases.subscription_events import queue_task_notices


def audit_refusal(actor, action: str, object_id, outcome: str) -> None:
    """Undo the request's changes and record the refusal in a transaction of its own."""
    db.session.rollback()
    record(actor, action, "referral", object_id, outcome=outcome)
    db.session.commit()


@contextmanager
def refusals(actor, action: str, object_id=None) -> Iterator[None]:
    """Any refusal raised inside is rolled back, audited as `action`, and raised on."""
    try:
        yield
    except ReferralError as err:
        audit_refusal(actor, action, object_id, err.outcome)
        raise


def parse(schema: Schema, body) -> dict:
    """`body` through an input schema; Malformed with the field errors when it does not fit."""
    try:
        return schema.load(body)
    except ValidationError as err:
        raise Malformed("invalid request", err.messages) from None


def commit_then_notify(*referrals) -> None:
    """Queue the notices with the change, commit, then try them: never mail a rolled-back step."""
    config, now = current_app.config, utcnow()
    ids = [i for referral in referrals for i in queue_notify(config, referral)]
    # The patient's own notice (opted in at creation) rides in the same transaction.
    ids += [i for referral in referrals for i in queue_patient_notice(config, referral, now)]
    ids += queue_task_notices(config, *referrals)  # FHIR subscribers hear of the Task change
    db.session.commit()
    if ids:
        deliver_ids(config, ids)
