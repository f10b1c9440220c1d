"""Output schemas for POST /api/v1/matches: a page of ranked matches, explained."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields

from matching.ranking import Match
from matching.service import MatchPage


def _entries(entries) -> list[dict]:
    return [e.as_dict() for e in entries]


class PlaceSchema(Schema):
    """The location a match would see the patient at."""

    id = fields.Integer()
    address = fields.String()
    lat = fields.Float()
    lon = fields.Float()


class MatchSchema(Schema):
    """One ranked clinician."""

    npi = fields.Function(lambda m: m.candidate.npi)
    name = fields.Function(lambda m: m.candidate.name)
    credentials = fields.Function(lambda m: list(m.candidate.credentials))
    visit = fields.Function(lambda m: m.candidate.visit)
    location = fields.Nested(PlaceSchema, attribute="place", allow_none=True)
    distance_miles = fields.Function(
        lambda m: None if m.distance_miles is None else round(m.distance_miles, 2)
    )
    score = fields.Float()
    reasons = fields.Function(lambda m: _entries(m.reasons))
    unmet = fields.Function(lambda m: _entries(m.unmet))
    notices = fields.Function(lambda m: _entries(m.notices))
    stale = fields.Boolean()
    accepting_new_patients = fields.Function(lambda m: m.candidate.accepting_new_patients)
    languages = fields.Function(lambda m: sorted(m.candidate.languages))
    plans = fields.Function(lambda m: sorted(m.candidate.network_ids))
    last_verified = fields.Method("_last_verified")
    score_detail = fields.Function(lambda m: dict(m.components))

    def _last_verified(self, match: Match) -> str | None:
        moment = match.candidate.verified_at
        if moment is None:
            return None
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.isoformat().replace("+00:00", "Z")


# One instance for every response: building a schema copies its fields (a dump changes none).
_MATCHES = MatchSchema(many=True)


def page_json(page: MatchPage, limit: int, offset: int) -> dict:
    """The response body; the crisis block comes first so every client shows it first."""
    return {
        "crisis": page.crisis,
        "results": _MATCHES.dump(page.results),
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
