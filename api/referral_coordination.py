"""Referral follow-up routes: re-refer, the coordination checklist, consent revocation, overdue."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from api.referral_views import referral_json
from api.referrals import answer
from api.routing import Routes
from directory.models.verification import utcnow
from referrals import use_cases

routes = Routes()


@routes.post("/referrals/<int:referral_id>/rerefer")
@require_scope("referrals:write")
def rerefer_route(referral_id: int):
    """Cancel this referral (if open) and send the patient to the next match in one step."""
    actor = current_actor()
    new = use_cases.rerefer(actor, referral_id, request.get_json(silent=True), utcnow())
    return answer(use_cases.shown_after_write(actor, new), 201)


@routes.put("/referrals/<int:referral_id>/checklist/<item>")
@require_scope("referrals:write")
def checklist_route(referral_id: int, item: str):
    """Tick (or untick) a coordination-of-care step, recording who and when."""
    actor = current_actor()
    body = request.get_json(silent=True)
    referral = use_cases.set_checklist(actor, referral_id, item, body, utcnow())
    return answer(use_cases.shown_after_write(actor, referral))


@routes.post("/referrals/<int:referral_id>/consent/revoke")
@require_scope("referrals:write")
def revoke_consent_route(referral_id: int):
    """Record the patient's revocation: no further disclosure under this consent."""
    actor = current_actor()
    referral = use_cases.revoke_consent(actor, referral_id, utcnow())
    return answer(use_cases.shown_after_write(actor, referral))


@routes.get("/referrals/overdue")
@require_scope("referrals:read")
def overdue_route():
    """The follow-up work queue: referrals past the acknowledgment or appointment standard."""
    today = use_cases.local_today()
    items = []
    for entry, shown in use_cases.overdue(current_actor()):
        body = referral_json(shown, today, detail=False)
        body["overdue"] = {"reason": entry.reason, "due_at": entry.due_at.isoformat()}
        items.append(body)
    return jsonify({"items": items})
