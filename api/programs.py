"""POST /api/v1/programs/matches: needs in, ranked and explained community and SUD programs out."""

from __future__ import annotations

from flask import jsonify, request

from api.errors import error_body
from api.program_schemas import program_page_json
from api.routing import Routes
from directory.models.verification import utcnow
from edge.extensions import csrf
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs

routes = Routes()
# One schema for every request: building a marshmallow schema costs about half a millisecond,
# and loading keeps no state on it.
NEEDS_SCHEMA = ProgramNeedsSchema()


# Public and read-only, as clinician matching: partners POST plain JSON without a CSRF token.
@csrf.exempt
@routes.post("/programs/matches")
def create_program_matches():
    """Match needs (a JSON object) to programs; 400 with errors per field when invalid."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_body(400, "expected a JSON object of needs")
    needs = NEEDS_SCHEMA.load(body)  # ValidationError -> 400 per field (api.errors)
    page = find_programs(needs, utcnow())
    return jsonify(program_page_json(page, needs.limit, needs.offset))
