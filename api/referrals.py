"""Referral API: create, read, list, move through the lifecycle, and the FHIR view.

Each route translates the request into a use case (referrals.use_cases) and its answer into
JSON; refusals become problem details in api/referral_errors.py.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from accounts.identity import current_actor, require_scope
from api.paging import offset_links, paged_response
from api.referral_views import referral_json
from api.routing import Routes
from directory.models.verification import utcnow
from referrals import use_cases
from referrals.use_cases import Shown

routes = Routes()


def answer(shown: Shown, status: int = 200, headers=None):
    """The referral as its reader may see it, in full (events and checklist)."""
    body = referral_json(shown, use_cases.local_today(), detail=True)
    return jsonify(body), status, headers or {}


@routes.post("/referrals")
@require_scope("referrals:write")
def create_referral_route():
    """Open a draft referral from a match."""
    actor = current_actor()
    key = request.headers.get("Idempotency-Key")
    created = use_cases.create(actor, request.get_json(silent=True), utcnow(), key)
    headers = {"Idempotent-Replayed": "true"} if created.replayed else None
    return answer(use_cases.shown_after_write(actor, created.referral), 201, headers)


@routes.get("/referrals")
@require_scope("referrals:read")
def list_referrals_route():
    """Referrals the caller may see, newest first; ?status=sent&status=acknowledged filters."""
    raw = request.args.to_dict(flat=True)
    if "status" in raw:
        # ?status=sent&status=accepted (the documented exploded array) and ?status=sent,accepted
        given = request.args.getlist("status")
        raw["status"] = [s for value in given for s in value.split(",") if s]
    page = use_cases.list_visible(current_actor(), raw)
    today = use_cases.local_today()
    items = [referral_json(shown, today, detail=False) for shown in page.items]
    body = {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}
    return paged_response({**body, **offset_links(page.total, page.limit, page.offset)})


@routes.get("/referrals/<int:referral_id>")
@require_scope("referrals:read")
def get_referral_route(referral_id: int):
    """One referral with its events and checklist."""
    return answer(use_cases.read(current_actor(), referral_id))


@routes.post("/referrals/<int:referral_id>/events")
@require_scope("referrals:write")
def post_event_route(referral_id: int):
    """Move the referral through its lifecycle."""
    actor = current_actor()
    referral = use_cases.move(actor, referral_id, request.get_json(silent=True), utcnow())
    return answer(use_cases.shown_after_write(actor, referral))


@routes.get("/referrals/<int:referral_id>/fhir")
@require_scope("referrals:read")
def get_referral_fhir_route(referral_id: int):
    """The referral as a FHIR R4 Bundle (ServiceRequest, Task, Consent, Patient)."""
    bundle = use_cases.fhir_export(current_actor(), referral_id)
    return Response(bundle.model_dump_json(), mimetype="application/fhir+json")
