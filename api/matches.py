"""POST /api/v1/matches: needs in, ranked and explained clinicians out."""

from __future__ import annotations

import orjson
from flask import current_app, request

from api.errors import error_body
from api.match_schemas import page_json
from api.routing import Routes
from directory.cost_facts import cost_lines_many
from directory.extensions import db
from directory.models.verification import utcnow
from edge.extensions import csrf
from matching.matcher import matcher
from pages.places import place_precisions

routes = Routes()


# Public and read-only: no session or write a forged cross-site request could ride on,
# and partners POST plain JSON without a CSRF token.
@csrf.exempt
@routes.post("/matches")
def create_matches():
    """Match needs (JSON object) to clinicians; 400 with errors per field when invalid."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_body(400, "expected a JSON object of needs")
    # ValidationError -> 400 with errors per field (api.errors)
    needs = matcher.needs_schema.load(body)
    page = matcher.find(needs, utcnow())
    # Serialized here, not by jsonify, so "crisis" stays the first key (jsonify sorts keys);
    # orjson writes a 20-result page in ~25 us where json.dumps took ~250.
    precisions = place_precisions(db.session, page.results)
    # Each result's cost with whose word each value is: one query for the page's clinicians.
    costs = cost_lines_many({m.candidate.clinician_id: m.candidate.cost for m in page.results})
    body = orjson.dumps(page_json(page, needs.limit, needs.offset, precisions, costs))
    return current_app.response_class(body, mimetype="application/json")
