"""Structured-return routes: the receiving clinician sends information back; readers list it."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from api.return_views import return_json
from api.routing import Routes
from directory.models.verification import utcnow
from referrals import use_cases

routes = Routes()


@routes.post("/referrals/<int:referral_id>/returns")
@require_scope("referrals:write")
def post_return_route(referral_id: int):
    """Send diagnoses, medication changes, treatment, next appointment, scores and a note back."""
    sent = use_cases.send_return(
        current_actor(), referral_id, request.get_json(silent=True), utcnow()
    )
    return jsonify(return_json(sent)), 201


@routes.get("/referrals/<int:referral_id>/returns")
@require_scope("referrals:read")
def list_returns_route(referral_id: int):
    """The returns on the referral, oldest first, each as this reader may see it."""
    found = use_cases.read_with_returns(current_actor(), referral_id)
    items = [return_json(seen) for seen in found.returns]
    return jsonify({"referral_id": referral_id, "items": items})
