"""Referral follow-up routes: re-refer, the coordination checklist, consent revocation, overdue."""

from __future__ import annotations

from flask import jsonify, request
from marshmallow import ValidationError

from accounts.identity import current_actor, require_scope
from api.referral_access import audit_read, follow_up_zone, load_visible, local_today, reader_view
from api.referral_access import refuse as _refuse
from api.referral_schemas import ChecklistSchema, RereferSchema
from api.referral_views import referral_json
from api.referrals import PART2_BLOCKED, render
from api.routing import Routes
from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.access import can_manage, relations
from referrals.checklist import CHECKLIST_ITEMS, tick
from referrals.followup import overdue_queue
from referrals.intake import ReferralInvalid, RereferConflict, rerefer
from referrals.lifecycle import EventRefused
from referrals.rerefer_trail import complete_rerefer
from referrals.transitions import ConsentBlocked

routes = Routes()


def _managed(referral_id: int, action: str):
    """The referral if the actor is on its referring side (or admin), else a refusal."""
    actor = current_actor()
    referral, _found = load_visible(referral_id, actor, action)
    if not can_manage(actor, referral):
        return (
            actor,
            None,
            _refuse(
                actor, action, referral_id, "denied", 403, "only the referring side may do this"
            ),
        )
    return actor, referral, None


@routes.post("/referrals/<int:referral_id>/rerefer")
@require_scope("referrals:write")
def rerefer_route(referral_id: int):
    """Cancel this referral (if open) and send the patient to the next match in one step."""
    actor, old, refusal = _managed(referral_id, "rerefer")
    if refusal:
        return refusal
    was = old.status
    try:
        data = RereferSchema().load(request.get_json(silent=True) or {})
        new = rerefer(actor, old, data, utcnow())
    except ValidationError as err:
        return _refuse(
            actor, "rerefer", referral_id, "invalid", 400, "invalid request", err.messages
        )
    except RereferConflict as err:
        return _refuse(actor, "rerefer", referral_id, "invalid", 409, str(err))
    except ReferralInvalid as err:
        return _refuse(
            actor, "rerefer", referral_id, "invalid", 422, "invalid referral", err.errors
        )
    except ConsentBlocked as err:
        return _refuse(
            actor, "rerefer", referral_id, "blocked", 422, PART2_BLOCKED, {"consent": err.problems}
        )
    except EventRefused as err:
        return _refuse(actor, "rerefer", referral_id, "denied", 403, str(err))
    complete_rerefer(actor, old, new, was)
    return render(actor, new, 201)


@routes.put("/referrals/<int:referral_id>/checklist/<item>")
@require_scope("referrals:write")
def checklist_route(referral_id: int, item: str):
    """Tick (or untick) a coordination-of-care step, recording who and when."""
    actor, referral, refusal = _managed(referral_id, "update")
    if refusal:
        return refusal
    if item not in CHECKLIST_ITEMS:
        return _refuse(actor, "update", referral_id, "invalid", 404, "no such checklist item")
    try:
        data = ChecklistSchema().load(request.get_json(silent=True) or {})
    except ValidationError as err:
        return _refuse(
            actor, "update", referral_id, "invalid", 400, "invalid request", err.messages
        )
    tick(referral, item, actor, utcnow(), note=data["note"], done=data["done"])
    record(actor, "update", "referral", referral_id)
    return render(actor, referral)


@routes.post("/referrals/<int:referral_id>/consent/revoke")
@require_scope("referrals:write")
def revoke_consent_route(referral_id: int):
    """Record the patient's revocation: no further disclosure under this consent."""
    actor, referral, refusal = _managed(referral_id, "revoke")
    if refusal:
        return refusal
    consent = referral.consent
    if consent is None:
        return _refuse(actor, "revoke", referral_id, "invalid", 404, "no consent on file")
    if consent.revoked_at is not None:
        return _refuse(actor, "revoke", referral_id, "invalid", 409, "already revoked")
    consent.revoked_at = utcnow()
    consent.revoked_by = actor.label
    record(actor, "revoke", "consent", consent.id)
    return render(actor, referral)


@routes.get("/referrals/overdue")
@require_scope("referrals:read")
def overdue_route():
    """The follow-up work queue: referrals past the acknowledgment or appointment standard."""
    actor = current_actor()
    items = []
    for entry in overdue_queue(actor, utcnow(), follow_up_zone()):
        found = relations(actor, entry.referral)
        disclosure = reader_view(actor, found, entry.referral)
        body = referral_json(entry.referral, disclosure, found, local_today(), detail=False)
        body["overdue"] = {"reason": entry.reason, "due_at": entry.due_at.isoformat()}
        items.append(body)
        audit_read(actor, found, entry.referral, disclosure)
    if not items:
        record(actor, "read", "referral", None)
    db.session.commit()
    return jsonify({"items": items})
