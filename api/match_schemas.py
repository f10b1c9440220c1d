"""The body of POST /api/v1/matches: a page of ranked matches, explained."""

from __future__ import annotations

from datetime import UTC

from api.cost_schemas import cost_json
from directory.cost_facts import CostLine, cost_lines
from directory.geography import GeoPrecision
from matching.backend import Place
from matching.ranking import Match
from matching.service import MatchPage


def _entries(entries) -> list[dict]:
    return [e.as_dict() for e in entries]


# The words for a distance that rounds to 0 from a point that is not the door (ZIP or city
# centre): "0 mi away" would claim the clinician is next door.
NEAR_APPROXIMATE = "In your ZIP code area"


def place_json(place: Place | None, precision: str | None = None) -> dict | None:
    """The location a match would see the patient at (None for telehealth)."""
    if place is None:
        return None
    return {
        "id": int(place.id),
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "geo_precision": precision,
    }


def _reasons(m: Match, precision: str | None) -> list[dict]:
    """The reasons, with a 0-mile distance from an approximate point said honestly."""
    found = _entries(m.reasons)
    approximate = precision is not None and precision != GeoPrecision.ADDRESS
    if approximate and m.distance_miles is not None and round(m.distance_miles, 1) == 0:
        for entry in found:
            if entry["code"] == "distance":
                entry["text"] = NEAR_APPROXIMATE
    return found


def last_verified(match: Match) -> str | None:
    """When the listing was last verified, as UTC ISO 8601 with a Z."""
    moment = match.candidate.verified_at
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def match_json(m: Match, precision: str | None = None, cost: list[CostLine] | None = None) -> dict:
    """One ranked clinician (api.response_schemas.MatchDoc documents the shape)."""
    # Written out: marshmallow's dump cost about a millisecond a page, a tenth of a search.
    c = m.candidate
    return {
        "npi": c.npi,
        "name": c.name,
        "credentials": list(c.credentials),
        "visit": c.visit,
        "location": place_json(m.place, precision),
        "distance_miles": None if m.distance_miles is None else round(m.distance_miles, 2),
        "score": float(m.score),
        "reasons": _reasons(m, precision),
        "unmet": _entries(m.unmet),
        "notices": _entries(m.notices),
        "stale": bool(m.stale),
        "accepting_new_patients": c.accepting_new_patients,
        "languages": sorted(c.languages),
        "plans": sorted(c.network_ids),
        "last_verified": last_verified(m),
        "cost": cost_json(c.cost, cost if cost is not None else cost_lines(c.cost, ())),
        "score_detail": dict(m.components),
    }


def page_json(
    page: MatchPage,
    limit: int,
    offset: int,
    precisions: dict[int, str] | None = None,
    costs: dict[int, list[CostLine]] | None = None,
) -> dict:
    """The response body; the crisis block comes first so every client shows it first."""
    found, costs = precisions or {}, costs or {}
    return {
        "crisis": page.crisis,
        "results": [
            match_json(
                m,
                found.get(m.place.id) if m.place is not None else None,
                costs.get(m.candidate.clinician_id),
            )
            for m in page.results
        ],
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "relaxations": [r.as_dict() for r in page.relaxations],
        "relaxation_summary": page.relaxation_summary,
        "notices": _entries(page.notices),
        "social_needs": [
            {"code": s.code, "category": s.category, "text": s.text} for s in page.social_needs
        ],
    }
