"""Referral API: create, read, list, move through the lifecycle, and the FHIR view."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accounts.identity import current_actor, require_scope
from accounts.models import User
from api.errors import error_body
from api.paging import offset_links, paged_response
from api.referral_access import (
    audit_read,
    json_error,
    load_visible,
    local_today,
    reader_view,
    refuse,
)
from api.referral_schemas import EventSchema, ListArgsSchema, ReferralCreateSchema
from api.referral_views import referral_json
from api.routing import Routes
from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.access import can_create, relations
from referrals.fhir import referral_bundle
from referrals.idempotency import MAX_KEY_LENGTH, KeyReused, body_digest, remember, replay
from referrals.intake import CRISIS_GUIDANCE, ReferralInvalid, create_referral
from referrals.lifecycle import (
    API_EVENTS,
    EventInput,
    EventInvalid,
    EventRefused,
    TransitionError,
    allowed_events,
)
from referrals.listing import visible_referrals
from referrals.notify import notify
from referrals.transitions import ConsentBlocked, fire

routes = Routes()

PART2_BLOCKED = "the consent does not permit disclosure to the receiving clinician (42 CFR 2.31)"


def render(actor, referral, status: int = 200, detail: bool = True, headers=None):
    """The referral as this actor may see it, with the read audited; commits."""
    found = relations(actor, referral)
    disclosure = reader_view(actor, found, referral)
    body = referral_json(referral, disclosure, found, local_today(), detail)
    audit_read(actor, found, referral, disclosure)
    db.session.commit()
    return jsonify(body), status, headers or {}


def _referrer_email(actor) -> str | None:
    if actor.kind != "user":
        return None
    user = db.session.get(User, actor.id)
    return user.email if user is not None else None


def _replayed(actor, key: str, digest: str):
    """The earlier referral for a retried key, or None; 422 when the body differs."""
    try:
        existing = replay(actor, key, digest)
    except KeyReused:
        return refuse(
            actor, "create", None, "invalid", 422, "this Idempotency-Key was used with another body"
        )
    if existing is None:
        return None
    return render(actor, existing, 201, headers={"Idempotent-Replayed": "true"})


@routes.post("/referrals")
@require_scope("referrals:write")
def create_referral_route():
    """Open a draft referral from a match."""
    actor = current_actor()
    body = request.get_json(silent=True)
    if not can_create(actor):
        return refuse(actor, "create", None, "denied", 403, "this role may not open referrals")
    if not isinstance(body, dict):
        return refuse(actor, "create", None, "invalid", 400, "send a JSON object")
    if body.get("urgency") == "emergent":
        db.session.rollback()
        record(actor, "create", "referral", None, outcome="invalid")
        db.session.commit()
        return json_error(422, CRISIS_GUIDANCE["message"], crisis=CRISIS_GUIDANCE)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        return refuse(actor, "create", None, "invalid", 400, "Idempotency-Key is 1-255 characters")
    digest = body_digest(body)
    if key is not None:
        replayed = _replayed(actor, key, digest)
        if replayed is not None:
            return replayed
    return _create(actor, body, key, digest)


def _create(actor, body: dict, key: str | None, digest: str):
    try:
        data = ReferralCreateSchema().load(body)
        referral = create_referral(actor, data, utcnow(), _referrer_email(actor))
    except ValidationError as err:
        return refuse(actor, "create", None, "invalid", 400, "invalid request", err.messages)
    except ReferralInvalid as err:
        return refuse(actor, "create", None, "invalid", 422, "invalid referral", err.errors)
    except ConsentBlocked as err:
        return refuse(
            actor, "create", None, "blocked", 422, PART2_BLOCKED, {"consent": err.problems}
        )
    if key is not None:
        try:
            remember(actor, key, digest, referral)
        except IntegrityError:
            # A concurrent retry with the same key won the race: answer with its referral.
            db.session.rollback()
            return _replayed(actor, key, digest) or error_body(409, "retry the request")
    record(actor, "create", "referral", referral.id)
    if referral.consent is not None:
        record(actor, "create", "consent", referral.consent.id)
    return render(actor, referral, 201)


@routes.get("/referrals")
@require_scope("referrals:read")
def list_referrals_route():
    """Referrals the caller may see, newest first; ?status=sent&status=acknowledged filters."""
    actor = current_actor()
    raw = request.args.to_dict(flat=True)
    if "status" in raw:
        # ?status=sent&status=accepted (the documented exploded array) and ?status=sent,accepted
        given = request.args.getlist("status")
        raw["status"] = [s for value in given for s in value.split(",") if s]
    args = ListArgsSchema().load(raw)
    rows = db.session.scalars(
        visible_referrals(actor, args["status"], args["limit"], args["offset"])
    ).all()
    items = []
    for referral in rows:
        found = relations(actor, referral)
        disclosure = reader_view(actor, found, referral)
        items.append(referral_json(referral, disclosure, found, local_today(), detail=False))
        audit_read(actor, found, referral, disclosure)
    if not rows:
        record(actor, "read", "referral", None)
    every = visible_referrals(actor, args["status"]).limit(None).offset(None).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(every.subquery()))
    db.session.commit()
    links = offset_links(total, args["limit"], args["offset"])
    body = {"items": items, "total": total, "limit": args["limit"], "offset": args["offset"]}
    return paged_response({**body, **links})


@routes.get("/referrals/<int:referral_id>")
@require_scope("referrals:read")
def get_referral_route(referral_id: int):
    """One referral with its events and checklist."""
    actor = current_actor()
    referral, _found = load_visible(referral_id, actor, "read")
    return render(actor, referral)


@routes.post("/referrals/<int:referral_id>/events")
@require_scope("referrals:write")
def post_event_route(referral_id: int):
    """Move the referral through its lifecycle."""
    actor = current_actor()
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    action = f"event:{body.get('type')}" if body.get("type") in API_EVENTS else "event"
    referral, _found = load_visible(referral_id, actor, action)
    try:
        event = EventInput(**EventSchema().load(body))
        fire(referral, actor, event, utcnow())
    except ValidationError as err:
        return refuse(actor, action, referral_id, "invalid", 400, "invalid request", err.messages)
    except EventRefused as err:
        return refuse(actor, action, referral_id, "denied", 403, str(err))
    except TransitionError as err:
        db.session.rollback()
        record(actor, action, "referral", referral_id, outcome="invalid")
        db.session.commit()
        allowed = [e for e in allowed_events(err.status) if e in API_EVENTS]
        return json_error(409, str(err), allowed_events=allowed)
    except EventInvalid as err:
        return refuse(actor, action, referral_id, "invalid", 422, "invalid event", err.errors)
    except ConsentBlocked as err:
        return refuse(
            actor, action, referral_id, "blocked", 422, PART2_BLOCKED, {"consent": err.problems}
        )
    record(actor, action, "referral", referral_id)
    db.session.commit()
    notify(current_app.config, referral)
    return render(actor, referral)


@routes.get("/referrals/<int:referral_id>/fhir")
@require_scope("referrals:read")
def get_referral_fhir_route(referral_id: int):
    """The referral as a FHIR R4 Bundle (ServiceRequest, Task, Consent, Patient)."""
    actor = current_actor()
    referral, found = load_visible(referral_id, actor, "read")
    disclosure = reader_view(actor, found, referral)
    if not disclosure.allowed:
        audit_read(actor, found, referral, disclosure)
        db.session.commit()
        return error_body(403, PART2_BLOCKED, {"consent": disclosure.problems})
    bundle = referral_bundle(referral, local_today(), utcnow())
    audit_read(actor, found, referral, disclosure)
    db.session.commit()
    return Response(bundle.model_dump_json(), mimetype="application/fhir+json")
