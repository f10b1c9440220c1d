"""Referral reads and writes from staff pages, audited like the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from marshmallow import ValidationError

from accounts.models import User
from api.referral_access import audit_read, load_visible, reader_view
from api.referral_schemas import ReferralCreateSchema
from api.referrals import PART2_BLOCKED
from audit.log import record
from directory.extensions import db
from referrals.access import can_manage, relations
from referrals.checklist import CHECKLIST_ITEMS, tick
from referrals.disclosure import Disclosure
from referrals.intake import (
    CRISIS_GUIDANCE,
    ReferralInvalid,
    RereferConflict,
    create_referral,
    rerefer,
)
from referrals.lifecycle import EventInput, EventInvalid, EventRefused, TransitionError
from referrals.models import Referral
from referrals.notify import notify
from referrals.transitions import ConsentBlocked, fire


class PageRefusal(Exception):
    """A referral write the services refused: the message, per-field errors, an HTTP status."""

    def __init__(self, message: str, errors: dict | None = None, status: int = 422, **extra):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
        self.extra = extra


@dataclass(frozen=True)
class Shown:
    """A referral as one reader may see it."""

    referral: Referral
    relations: frozenset[str]
    disclosure: Disclosure
    extra: dict = field(default_factory=dict)


def refuse(actor, action: str, object_id, outcome: str) -> None:
    """Undo the request's changes and audit the refusal on its own (as the API's refuse)."""
    db.session.rollback()
    record(actor, action, "referral", object_id, outcome=outcome)
    db.session.commit()


def read(actor, referral_id: int, action: str = "read") -> Shown:
    """The referral if the actor may see it (404, audited, otherwise); the read is audited."""
    referral, found = load_visible(referral_id, actor, action)
    disclosure = reader_view(actor, found, referral)
    audit_read(actor, found, referral, disclosure)
    db.session.commit()
    return Shown(referral, found, disclosure)


def show_many(actor, referrals) -> list[Shown]:
    """Referrals listed on a page, each read audited as the API's list audits them."""
    shown = []
    for referral in referrals:
        found = relations(actor, referral)
        disclosure = reader_view(actor, found, referral)
        audit_read(actor, found, referral, disclosure)
        shown.append(Shown(referral, found, disclosure))
    if not shown:
        record(actor, "read", "referral", None)
    db.session.commit()
    return shown


def _referrer_email(actor) -> str | None:
    user = db.session.get(User, actor.id) if actor.kind == "user" else None
    return user.email if user is not None else None


def open_referral(actor, body: dict, ticks: list[str], now: datetime) -> Referral:
    """Create, tick the coordination steps already done, and send, in one step; commits."""
    if body.get("urgency") == "emergent":
        refuse(actor, "create", None, "invalid")
        raise PageRefusal(CRISIS_GUIDANCE["message"], crisis=CRISIS_GUIDANCE)
    try:
        data = ReferralCreateSchema().load(body)
        referral = create_referral(actor, data, now, _referrer_email(actor))
        record(actor, "create", "referral", referral.id)
        if referral.consent is not None:
            record(actor, "create", "consent", referral.consent.id)
        for item in ticks:
            if item in CHECKLIST_ITEMS:
                tick(referral, item, actor, now)
        fire(referral, actor, EventInput(type="send"), now)
        record(actor, "event:send", "referral", referral.id)
    except ValidationError as err:
        refuse(actor, "create", None, "invalid")
        raise PageRefusal("Some fields need attention.", err.messages, 400) from None
    except ReferralInvalid as err:
        refuse(actor, "create", None, "invalid")
        raise PageRefusal("This referral cannot be made.", err.errors) from None
    except ConsentBlocked as err:
        refuse(actor, "create", None, "blocked")
        raise PageRefusal(PART2_BLOCKED, {"consent": err.problems}) from None
    db.session.commit()
    notify(current_app.config, referral)
    return referral


def move(actor, referral: Referral, events: list[EventInput], now: datetime) -> None:
    """Fire `events` in order (e.g. acknowledge then accept); all or nothing; commits."""
    action = "event"
    try:
        for event in events:
            action = f"event:{event.type}"
            fire(referral, actor, event, now)
            record(actor, action, "referral", referral.id)
    except EventRefused as err:
        refuse(actor, action, referral.id, "denied")
        raise PageRefusal(str(err), status=403) from None
    except TransitionError as err:
        refuse(actor, action, referral.id, "invalid")
        raise PageRefusal(str(err), status=409) from None
    except EventInvalid as err:
        refuse(actor, action, referral.id, "invalid")
        raise PageRefusal("This step needs more information.", err.errors) from None
    except ConsentBlocked as err:
        refuse(actor, action, referral.id, "blocked")
        raise PageRefusal(PART2_BLOCKED, {"consent": err.problems}) from None
    db.session.commit()
    notify(current_app.config, referral)


def _managed(actor, referral: Referral, action: str) -> None:
    if not can_manage(actor, referral):
        refuse(actor, action, referral.id, "denied")
        raise PageRefusal("Only the referring side may do this.", status=403)


def set_checklist(actor, referral: Referral, item: str, done: bool, now: datetime) -> None:
    """Tick or untick a coordination-of-care step (referring side only); commits."""
    _managed(actor, referral, "update")
    if item not in CHECKLIST_ITEMS:
        refuse(actor, "update", referral.id, "invalid")
        raise PageRefusal("No such checklist item.", status=404)
    tick(referral, item, actor, now, done=done)
    record(actor, "update", "referral", referral.id)
    db.session.commit()


def revoke_consent(actor, referral: Referral, now: datetime) -> None:
    """Record the patient's revocation of the consent (referring side only); commits."""
    _managed(actor, referral, "revoke")
    consent = referral.consent
    if consent is None or consent.revoked_at is not None:
        refuse(actor, "revoke", referral.id, "invalid")
        raise PageRefusal("There is no standing consent to revoke.", status=409)
    consent.revoked_at = now
    consent.revoked_by = actor.label
    record(actor, "revoke", "consent", consent.id)
    db.session.commit()


def refer_again(actor, old: Referral, data: dict, now: datetime) -> Referral:
    """Cancel `old` if open and send the patient to another clinician in one step; commits."""
    _managed(actor, old, "rerefer")
    was = old.status
    try:
        new = rerefer(actor, old, data, now)
    except RereferConflict as err:
        refuse(actor, "rerefer", old.id, "invalid")
        raise PageRefusal(str(err), status=409) from None
    except ReferralInvalid as err:
        refuse(actor, "rerefer", old.id, "invalid")
        raise PageRefusal("This referral cannot be made.", err.errors) from None
    except ConsentBlocked as err:
        refuse(actor, "rerefer", old.id, "blocked")
        raise PageRefusal(PART2_BLOCKED, {"consent": err.problems}) from None
    record(actor, "rerefer", "referral", old.id)
    if old.status != was:
        record(actor, "event:cancel", "referral", old.id)
    record(actor, "create", "referral", new.id)
    if new.consent is not None:
        record(actor, "create", "consent", new.consent.id)
    record(actor, "event:send", "referral", new.id)
    db.session.commit()
    if old.status != was:
        notify(current_app.config, old)
    notify(current_app.config, new)
    return new
