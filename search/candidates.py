"""Candidates from index documents, built exactly as the embedded backend builds them from rows."""

from datetime import date, datetime

from directory.cost import FLAG_COLUMNS, Cost
from matching.backend import IN_PERSON, Candidate, Place
from matching.distance import within
from matching.needs import Needs


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def current_license_states(licenses: list[dict], today: date) -> frozenset[str]:
    """States of licenses without an expiry date or expiring today or later."""
    return frozenset(
        x["state"]
        for x in licenses
        if x.get("expires_on") is None or date.fromisoformat(x["expires_on"]) >= today
    )


def _place(source: dict) -> Place:
    return Place(
        id=source["location_id"],
        address=source.get("address") or "",
        lat=source["location"]["lat"],
        lon=source["location"]["lon"],
        accessibility=frozenset(source.get("accessibility") or ()),
        evening_hours=bool(source.get("evening_hours")),
        weekend_hours=bool(source.get("weekend_hours")),
    )


def candidate_from_source(source: dict, needs: Needs, today: date) -> Candidate | None:
    """The candidate a document stands for; None when the place is beyond the exact radius."""
    place, miles, license_states = None, None, frozenset()
    if source["visit"] == IN_PERSON:
        place = _place(source)
        miles = within(needs.point, place.lat, place.lon, needs.max_distance_miles)
        if miles is None:
            return None
    else:
        license_states = current_license_states(source.get("licenses") or [], today)
    return Candidate(
        clinician_id=source["clinician_id"],
        npi=source["npi"],
        name=source["name"],
        visit=source["visit"],
        place=place,
        distance_miles=miles,
        credentials=tuple(source.get("credentials") or ()),
        gender=source.get("gender"),
        languages=frozenset(source.get("languages") or ()),
        competencies=frozenset(source.get("competencies") or ()),
        taxonomies=frozenset(source.get("taxonomies") or ()),
        conditions_treated=frozenset(source.get("conditions_treated") or ()),
        conditions_not_treated=frozenset(source.get("conditions_not_treated") or ()),
        age_groups=frozenset(source.get("age_groups") or ()),
        modalities=frozenset(source.get("modalities") or ()),
        license_states=license_states,
        network_ids=frozenset(source.get("network_ids") or ()),
        accepting_new_patients=source.get("accepting_new_patients"),
        wait_days=source.get("wait_days"),
        next_available_on=_date(source.get("next_available_on")),
        referral_capacity=source.get("referral_capacity"),
        verified_at=_datetime(source.get("verified_at")),
        flagged=bool(source.get("flagged")),
        cost=_cost(source),
    )


def _cost(source: dict) -> Cost:
    flags = {flag: source.get(field) for flag, field in FLAG_COLUMNS.items()}
    return Cost(fee_min=source.get("fee_min"), fee_max=source.get("fee_max"), **flags)
