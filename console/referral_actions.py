"""Referral reads and writes from staff pages, audited like the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from marshmallow import ValidationError

from accounts.models import User
from api.referral_access import audit_read, load_visible, reader_view
from api.referral_schemas import ReferralCreateSchema
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
from referrals.rerefer_trail import complete_rerefer
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


def _part2_blocked() -> str:
    return _("The consent does not permit disclosure to the receiving clinician (42 CFR 2.31).")


def _not_now(status: str) -> str:
    return _("This step is not possible now (the referral is %(status)s).", status=status)


def step_errors(event: EventInput, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """What a lifecycle step lacks, in the reader's language (the service says it in English)."""
    words = {
        "reason": _("Choose why you decline."),
        "appointment_at": _("Give the appointment date and time."),
        "note": _("Closing needs a note back to the referring clinician.")
        if event.type == "close"
        else _("A decline for another reason needs a note saying why."),
    }
    return {name: [words.get(name, "; ".join(texts))] for name, texts in errors.items()}


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
        raise PageRefusal(
            _("An emergent need is not for referral: connect the patient with crisis care now."),
            crisis=CRISIS_GUIDANCE,
        )
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
        raise PageRefusal(_("Some fields need attention."), err.messages, 400) from None
    except ReferralInvalid as err:
        refuse(actor, "create", None, "invalid")
        raise PageRefusal(_("This referral cannot be made."), err.errors) from None
    except ConsentBlocked as err:
        refuse(actor, "create", None, "blocked")
        raise PageRefusal(_part2_blocked(), {"consent": err.problems}) from None
    db.session.commit()
    notify(current_app.config, referral)
    return referral


def move(actor, referral: Referral, events: list[EventInput], now: datetime) -> None:
    """Fire `events` in order (e.g. acknowledge then accept); all or nothing; commits."""
    action, current = "event", events[0]
    try:
        for current in events:
            action = f"event:{current.type}"
            fire(referral, actor, current, now)
            record(actor, action, "referral", referral.id)
    except EventRefused:
        refuse(actor, action, referral.id, "denied")
        raise PageRefusal(
            _("Your role may not take this step on this referral."), status=403
        ) from None
    except TransitionError as err:
        refuse(actor, action, referral.id, "invalid")
        raise PageRefusal(_not_now(err.status), status=409) from None
    except EventInvalid as err:
        refuse(actor, action, referral.id, "invalid")
        raise PageRefusal(
            _("This step needs more information."), step_errors(current, err.errors)
        ) from None
    except ConsentBlocked as err:
        refuse(actor, action, referral.id, "blocked")
        raise PageRefusal(_part2_blocked(), {"consent": err.problems}) from None
    db.session.commit()
    notify(current_app.config, referral)


def _managed(actor, referral: Referral, action: str) -> None:
    if not can_manage(actor, referral):
        refuse(actor, action, referral.id, "denied")
        raise PageRefusal(_("Only the referring side may do this."), status=403)


def set_checklist(actor, referral: Referral, item: str, done: bool, now: datetime) -> None:
    """Tick or untick a coordination-of-care step (referring side only); commits."""
    _managed(actor, referral, "update")
    if item not in CHECKLIST_ITEMS:
        refuse(actor, "update", referral.id, "invalid")
        raise PageRefusal(_("No such checklist item."), status=404)
    tick(referral, item, actor, now, done=done)
    record(actor, "update", "referral", referral.id)
    db.session.commit()


def revoke_consent(actor, referral: Referral, now: datetime) -> None:
    """Record the patient's revocation of the consent (referring side only); commits."""
    _managed(actor, referral, "revoke")
    consent = referral.consent
    if consent is None or consent.revoked_at is not None:
        refuse(actor, "revoke", referral.id, "invalid")
        raise PageRefusal(_("There is no standing consent to revoke."), status=409)
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
    except RereferConflict:
        refuse(actor, "rerefer", old.id, "invalid")
        raise PageRefusal(
            _("This referral is closed or already re-referred."), status=409
        ) from None
    except ReferralInvalid as err:
        refuse(actor, "rerefer", old.id, "invalid")
        raise PageRefusal(_("This referral cannot be made."), err.errors) from None
    except ConsentBlocked as err:
        refuse(actor, "rerefer", old.id, "blocked")
        raise PageRefusal(_part2_blocked(), {"consent": err.problems}) from None
    complete_rerefer(actor, old, new, was)
    return new
