"""Screening API: score an instrument's answers (PHI, audited) and list the instruments."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from api.routing import Routes
from api.screening_views import instrument_json, screening_json
from directory.models.verification import utcnow
from referrals import use_cases
from screening.definitions import instruments

routes = Routes()


@routes.get("/screenings/instruments")
def list_instruments():
    """Every instrument definition (public: questions and rules, no patient data)."""
    return jsonify({"items": [instrument_json(i) for i in instruments().values()]})


@routes.post("/screenings")
@require_scope("referrals:write")
def create_screening_route():
    """Score a screening; 400 naming the item when an answer is missing or out of range."""
    recorded = use_cases.record_screening(current_actor(), request.get_json(silent=True), utcnow())
    return jsonify(screening_json(recorded)), 201
