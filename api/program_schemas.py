"""POST /api/v1/programs/matches: the response body, and its documentation."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields

from api.match_response_schemas import RelaxationDoc
from programs.search import Found, ProgramPage


def _iso(moment) -> str | None:
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def found_json(found: Found) -> dict:
    """One ranked program (ProgramMatchDoc documents the shape)."""
    service, location = found.service, found.location
    return {
        "id": service.id,
        "name": service.name,
        "organization": {"id": service.organization.id, "name": service.organization.name},
        "location": {
            "id": location.id,
            "name": location.name,
            "address": location.address,
            "lat": location.lat,
            "lon": location.lon,
            "precision": location.precision,
        },
        "distance_miles": round(found.distance_miles, 2),
        "score": found.score,
        "reasons": [v.as_dict() for v in found.reasons],
        "unmet": [v.as_dict() for v in found.unmet],
        "needs": list(service.needs),
        "levels_of_care": list(service.levels_of_care),
        "medications": list(service.medications),
        "languages": list(service.languages),
        "phone": service.phone,
        "url": service.url,
        "cost": {
            "payments": list(service.payments),
            "fee_min": service.fee_min,
            "fee_max": service.fee_max,
            "currency": service.currency,
            "description": service.fees_description,
        },
        "source": service.source,
        "last_verified": _iso(service.verified_at),
    }


def program_page_json(page: ProgramPage, limit: int, offset: int) -> dict:
    """The response body."""
    return {
        "results": [found_json(f) for f in page.results],
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "relaxations": page.relaxations,
    }


class VerdictDoc(Schema):
    """A criterion met (a reason) or not (unmet), in words."""

    criterion = fields.String(required=True)
    text = fields.String(required=True)


class ProgramOrganizationDoc(Schema):
    """The organization offering the program."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ProgramPlaceDoc(Schema):
    """Where: `precision` is 'source', 'zcta_centroid' (placed by ZIP) or null."""

    id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)
    address = fields.String(required=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    precision = fields.String(required=True, allow_none=True)


class CostDoc(Schema):
    """What the program costs and which payment it accepts; null when the source did not say."""

    payments = fields.List(fields.String(), required=True)
    fee_min = fields.Float(required=True, allow_none=True)
    fee_max = fields.Float(required=True, allow_none=True)
    currency = fields.String(required=True, allow_none=True)
    description = fields.String(required=True, allow_none=True)


class ProgramMatchDoc(Schema):
    """One ranked program, explained."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    organization = fields.Nested(ProgramOrganizationDoc, required=True)
    location = fields.Nested(ProgramPlaceDoc, required=True)
    distance_miles = fields.Float(required=True)
    score = fields.Integer(required=True)
    reasons = fields.List(fields.Nested(VerdictDoc), required=True)
    unmet = fields.List(fields.Nested(VerdictDoc), required=True)
    needs = fields.List(fields.String(), required=True)
    levels_of_care = fields.List(fields.String(), required=True)
    medications = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    phone = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True)
    cost = fields.Nested(CostDoc, required=True)
    source = fields.String(required=True)
    last_verified = fields.DateTime(required=True, allow_none=True)


class ProgramMatchPageDoc(Schema):
    """Ranked programs; `relaxations` when the page came back short."""

    results = fields.List(fields.Nested(ProgramMatchDoc), required=True)
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    relaxations = fields.List(fields.Nested(RelaxationDoc), required=True)
