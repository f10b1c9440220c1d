"""Changing referrals: open, send, move, re-refer, tick, revoke, expire; audited and notified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from accounts.models import User
from accounts.profile import referrer_contact
from audit.log import record
from directory.extensions import db
from referrals.access import can_create, can_manage
from referrals.checklist import CHECKLIST_ITEMS, RECEIVED_ITEMS, TICKABLE_ITEMS, tick
from referrals.clock import local_today
from referrals.errors import Conflict, Denied, Invalid, Malformed, NotFound
from referrals.followup import expire_stale
from referrals.idempotency import MAX_KEY_LENGTH, body_digest, remember, replay
from referrals.intake import CRISIS_GUIDANCE, create_referral
from referrals.intake import rerefer as rerefer_referral
from referrals.lifecycle import API_EVENTS, EventInput
from referrals.models import Referral
from referrals.patient_status import give_code
from referrals.schemas import ChecklistSchema, EventSchema, ReferralCreateSchema, RereferSchema
from referrals.transitions import fire
from referrals.use_cases.reads import load_visible
from referrals.use_cases.screenings import attach, prefilled_needs, scored_input
from referrals.use_cases.team_on_send import join_on_send
from referrals.use_cases.trail import audit_refusal, commit_then_notify, parse, refusals

# A step on a just-arrived referral that records its acknowledgment on the way (staff pages).
ACKNOWLEDGED_ON_THE_WAY = ("accept", "decline")


@dataclass(frozen=True)
class Created:
    """The referral a create made, or the earlier one a retried Idempotency-Key names."""

    referral: Referral
    replayed: bool = False


def _account_contact(actor) -> dict[str, str]:
    """The signed-in referrer's own name, phone and address (API keys have none)."""
    return referrer_contact(db.session.get(User, actor.id) if actor.kind == "user" else None)


def _may_open(actor, body) -> None:
    """The checks before any input is read: who, what shape, and no emergencies."""
    if not can_create(actor):
        raise Denied("this role may not open referrals", code="create_role")
    if not isinstance(body, dict):
        raise Malformed("send a JSON object")
    if body.get("urgency") == "emergent":
        # Emergent needs go to crisis care now, never into a referral queue.
        raise Invalid(CRISIS_GUIDANCE["message"], code="crisis", crisis=CRISIS_GUIDANCE)


def _open(actor, body: dict, now: datetime) -> Referral:
    referral = create_referral(
        actor, parse(ReferralCreateSchema(), body), now, _account_contact(actor)
    )
    give_code(referral)
    record(actor, "create", "referral", referral.id)
    if referral.consent is not None:
        record(actor, "create", "consent", referral.consent.id)
    return referral


def _replayed(actor, key: str, digest: str, race: bool = False) -> Referral | None:
    """The referral a previous request with this key made (KeyReused for another body)."""
    existing = replay(actor, key, digest)
    if existing is None and race:
        raise Conflict("retry the request", code="retry")
    return existing


def create(actor, body, now: datetime, key: str | None = None) -> Created:
    """A draft referral (Part 2 or not: a draft discloses nothing); a retried key replays."""
    with refusals(actor, "create"):
        _may_open(actor, body)
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise Malformed("Idempotency-Key is 1-255 characters")
        digest = body_digest(body)
        existing = _replayed(actor, key, digest) if key is not None else None
        if existing is not None:
            return Created(existing, replayed=True)
        referral = _open(actor, body, now)
        if key is not None:
            try:
                remember(actor, key, digest, referral)
            except IntegrityError:
                # A concurrent retry with the same key won the race: answer with its referral.
                db.session.rollback()
                return Created(_replayed(actor, key, digest, race=True), replayed=True)
    db.session.commit()
    return Created(referral)


def open_and_send(
    actor, body, ticks: list[str], now: datetime, screening: dict | None = None
) -> Referral:
    """Create, tick the steps already done and send, all or nothing (the staff pages' form).

    A `screening` (PHQ-9, GAD-7...) is scored first, adds the concern a positive result
    suggests to the needs, and is attached to the referral in the same transaction.
    """
    with refusals(actor, "create"):
        _may_open(actor, body)
        scored = scored_input(screening, "screening") if screening is not None else None
        if scored is not None:
            body = {**body, "needs": prefilled_needs(body.get("needs") or {}, scored[1])}
        referral = _open(actor, body, now)
        if scored is not None:
            attach(actor, *scored, now, referral)
        for item in ticks:
            if item in TICKABLE_ITEMS:
                tick(referral, item, actor, now)
        fire(referral, actor, EventInput(type="send"), now, local_today(now))
        record(actor, "event:send", "referral", referral.id)
        join_on_send(actor, referral, now)
    commit_then_notify(referral)
    return referral


def _steps(referral: Referral, event: EventInput, on_the_way: bool) -> list[EventInput]:
    if on_the_way and event.type in ACKNOWLEDGED_ON_THE_WAY and referral.status == "sent":
        return [EventInput(type="acknowledge"), event]
    return [event]


def move(
    actor, referral_id: int, raw: dict, now: datetime, acknowledge_on_the_way: bool = False
) -> Referral:
    """Fire the posted event (and, on staff pages, the acknowledgment it implies); commits."""
    raw = raw if isinstance(raw, dict) else {}
    action = f"event:{raw.get('type')}" if raw.get("type") in API_EVENTS else "event"
    referral, _found = load_visible(actor, referral_id, action)
    with refusals(actor, action, referral_id):
        event = EventInput(**parse(EventSchema(), raw))
    for step in _steps(referral, event, acknowledge_on_the_way):
        # A refusal of either step rolls both back, and is audited as the step refused.
        with refusals(actor, f"event:{step.type}", referral_id):
            fire(referral, actor, step, now, local_today(now))
            record(actor, f"event:{step.type}", "referral", referral_id)
            if step.type == "send":
                join_on_send(actor, referral, now)
    commit_then_notify(referral)
    return referral


def _manage(actor, referral_id: int, action: str) -> Referral:
    """The referral when the actor is its referring side (or an admin); Denied otherwise."""
    referral, _found = load_visible(actor, referral_id, action)
    if not can_manage(actor, referral):
        audit_refusal(actor, action, referral_id, "denied")
        raise Denied("only the referring side may do this", code="manage")
    return referral


def rerefer(actor, referral_id: int, body, now: datetime) -> Referral:
    """Cancel the referral if still open and send the patient to another clinician; commits."""
    old = _manage(actor, referral_id, "rerefer")
    was = old.status
    with refusals(actor, "rerefer", referral_id):
        data = parse(RereferSchema(), body if isinstance(body, dict) else {})
        new = rerefer_referral(actor, old, data, now, local_today(now))
        record(actor, "rerefer", "referral", old.id)
        if old.status != was:
            record(actor, "event:cancel", "referral", old.id)
        record(actor, "create", "referral", new.id)
        if new.consent is not None:
            record(actor, "create", "consent", new.consent.id)
        record(actor, "event:send", "referral", new.id)
        join_on_send(actor, new, now)
    commit_then_notify(*([old] if old.status != was else []), new)
    return new


def set_checklist(actor, referral_id: int, item: str, body, now: datetime) -> Referral:
    """Tick (or untick) a coordination-of-care step, recording who and when; commits."""
    referral = _manage(actor, referral_id, "update")
    with refusals(actor, "update", referral_id):
        if item not in CHECKLIST_ITEMS:
            raise NotFound("no such checklist item", code="unknown_item", outcome="invalid")
        if item in RECEIVED_ITEMS:
            # A tick would claim information the clinician has not sent back.
            raise Conflict("done when the clinician's structured return arrives", code="received")
        data = parse(ChecklistSchema(), body if isinstance(body, dict) else {})
        tick(referral, item, actor, now, note=data["note"], done=data["done"])
        record(actor, "update", "referral", referral_id)
    db.session.commit()
    return referral


def revoke_consent(actor, referral_id: int, now: datetime) -> Referral:
    """Record the patient's revocation: nothing more is disclosed under the consent; commits."""
    referral = _manage(actor, referral_id, "revoke")
    with refusals(actor, "revoke", referral_id):
        consent = referral.consent
        if consent is None:
            raise NotFound("no consent on file", code="no_consent", outcome="invalid")
        if consent.revoked_at is not None:
            raise Conflict("already revoked", code="already_revoked")
        consent.revoked_at = now
        consent.revoked_by = actor.label
        record(actor, "revoke", "consent", consent.id)
    db.session.commit()
    return referral


def expire_idle(now: datetime, after_days: int) -> list[Referral]:
    """Expire referrals left without a step for `after_days` (the system's job); commits."""
    expired = expire_stale(now, after_days)
    for referral in expired:
        record(None, "event:expire", "referral", referral.id)
    commit_then_notify(*expired)
    return expired
