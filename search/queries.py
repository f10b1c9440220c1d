"""The retrieval query, built by small pure functions from Needs: dicts in, dicts out.

Required needs become `bool.filter` clauses that mirror matching.filters and the SQL of the
embedded backend; preferences become `should` clauses worth the points matching.weights gives
them, and distance a function_score decay, so Elasticsearch's own order approximates the
shared ranker's. The ranker re-checks every filter on what comes back, so a clause may be
looser than the rule it mirrors (the radius is widened by the sphere-versus-ellipsoid margin),
never stricter.
"""

from datetime import date, timedelta

from directory.cost import FLAG_COLUMNS
from matching import weights
from matching.backend import IN_PERSON, TELEHEALTH, TELEHEALTH_MODALITIES
from matching.distance import HAVERSINE_MARGIN
from matching.needs import DISTANCE, FitItem, Needs
from matching.ranking import PREFERENCE_WEIGHTS
from search.clauses import (
    all_of,
    any_of,
    missing,
    points,
    prefix,
    range_at_least,
    range_at_most,
    term,
    terms,
)

# What a candidate is built from; the digest and the split names stay in the index.
SOURCE_FIELDS = (
    "clinician_id",
    "npi",
    "name",
    "visit",
    "doc_key",
    "location_id",
    "location",
    "address",
    "accessibility",
    "evening_hours",
    "weekend_hours",
    "credentials",
    "gender",
    "languages",
    "competencies",
    "taxonomies",
    "conditions_treated",
    "conditions_not_treated",
    "age_groups",
    "modalities",
    "licenses",
    "network_ids",
    "accepting_new_patients",
    "wait_days",
    "next_available_on",
    "referral_capacity",
    "verified_at",
    "flagged",
    "fee_min",
    "fee_max",
    *FLAG_COLUMNS.values(),
)
# Payment word -> the boolean fields any of which says yes (directory.cost.Cost.answer).
_TAKES = {
    "uninsured": ("accepts_uninsured", "free_care", "sliding_scale"),
    "medicaid": ("accepts_medicaid",),
    "medicare": ("accepts_medicare",),
    "free": ("free_care",),
    "sliding_scale": ("sliding_scale",),
}


def in_person_clause(needs: Needs) -> dict:
    """A practice location within the radius, for a clinician who sees patients in person."""
    radius = f"{needs.max_distance_miles * HAVERSINE_MARGIN:.3f}mi"
    origin = {"lat": needs.point.lat, "lon": needs.point.lon}
    return all_of(
        term("visit", IN_PERSON),
        {"geo_distance": {"distance": radius, "location": origin}},
        any_of(missing("modalities"), term("modalities", IN_PERSON)),
    )


def current_license(state: str, today: date) -> dict:
    """A license in `state` with no expiry date or one not yet past."""
    return {
        "nested": {
            "path": "licenses",
            "query": all_of(
                term("licenses.state", state),
                any_of(
                    missing("licenses.expires_on"),
                    range_at_least("licenses.expires_on", today.isoformat()),
                ),
            ),
        }
    }


def telehealth_clause(needs: Needs, today: date) -> dict:
    """Video or phone visits, with a current license in the patient's state."""
    return all_of(
        term("visit", TELEHEALTH),
        terms("modalities", TELEHEALTH_MODALITIES),
        current_license(needs.state, today),
    )


def visit_filter(needs: Needs, today: date) -> dict:
    """The visit kinds the patient accepts (matching.filters.visit_ok)."""
    kinds = []
    if needs.allows_in_person:
        kinds.append(in_person_clause(needs))
    if needs.allows_telehealth and needs.state:
        kinds.append(telehealth_clause(needs, today))
    return any_of(*kinds) if kinds else {"match_none": {}}


def rule_filters(needs: Needs) -> list[dict]:
    """Plan, new patients, age and conditions not treated (matching.filters.HARD_RULES)."""
    found = []
    if needs.plan is not None:
        found.append(terms("network_ids", needs.plan.network_ids))
    if needs.accepting_new_patients:
        # Unknown (missing) passes: only a known "no" is removed.
        found.append({"bool": {"must_not": [term("accepting_new_patients", False)]}})
    if needs.age_groups:
        found.append(any_of(missing("age_groups"), terms("age_groups", needs.age_groups)))
    if needs.concerns:
        found.append({"bool": {"must_not": [terms("conditions_not_treated", needs.concerns)]}})
    return found


def fit_clauses(item: FitItem) -> list[dict]:
    """Treats the concern, or holds a taxonomy that suits it (matching.criteria._fit_share)."""
    found = [term("conditions_treated", item.code)] if item.kind == "concern" else []
    return found + [prefix("taxonomies", p) for p in item.taxonomies]


def opening_within(days: int, today: date) -> dict:
    """Next opening within `days`: by next_available_on, else by the stated wait."""
    return any_of(
        range_at_most("next_available_on", (today + timedelta(days=days)).isoformat()),
        all_of(missing("next_available_on"), range_at_most("wait_days", days)),
    )


def _need_clauses(needs: Needs, today: date) -> dict[str, list[dict]]:
    """For each selectable need, the clauses that say it is met (criteria.findings)."""
    clauses: dict[str, list[dict]] = {
        "languages": [terms("languages", needs.languages)] if needs.languages else [],
        "clinician_gender": (
            [term("gender", needs.clinician_gender)] if needs.clinician_gender else []
        ),
        "cultural_preferences": [term("competencies", c) for c in needs.cultural_preferences],
        "specialties": [terms("taxonomies", needs.specialty_codes)] if needs.specialties else [],
        # Accessibility is moot for telehealth: the finding does not exist there.
        "accessibility": [
            any_of(term("accessibility", code), term("visit", TELEHEALTH))
            for code in needs.accessibility
        ],
        "availability": [term(f"{code}_hours", True) for code in needs.availability],
        "concerns": [any_of(*fit_clauses(item)) for item in needs.fit_items],
    }
    if needs.max_wait_days is not None:
        clauses["max_wait_days"] = [opening_within(needs.max_wait_days, today)]
    if needs.payment:
        fields = sorted({field for p in needs.payment for field in _TAKES[p]})
        clauses["payment"] = [any_of(*(term(field, True) for field in fields))]
    if needs.max_fee is not None:
        within = range_at_most("fee_min", needs.max_fee)
        clauses["max_fee"] = [any_of(term("free_care", True), within)]
    return clauses


def required_need_filters(needs: Needs, today: date) -> list[dict]:
    """Clauses for the selectable needs the caller made (or left) required."""
    return [
        clause
        for need, found in _need_clauses(needs, today).items()
        if needs.requires(need)
        for clause in found
    ]


def fit_preference(needs: Needs) -> list[dict]:
    """FIT points shared over the fit items: full for treating, half for a suiting taxonomy."""
    items = needs.fit_items
    found = []
    for item in items:
        share = weights.FIT / len(items)
        options = [points(c, share * weights.FIT_TAXONOMY) for c in fit_clauses(item)]
        if item.kind == "concern":
            options[0] = points(term("conditions_treated", item.code), share * weights.FIT_TREATS)
        found.append({"dis_max": {"queries": options}})
    return found


def listing_preferences(today: date) -> list[dict]:
    """Confirmed "accepting", recently verified, not flagged (matching.ranking.listing_points)."""
    fresh_since = (today - timedelta(days=weights.STALE_AFTER_DAYS)).isoformat()
    return [
        points(term("accepting_new_patients", True), weights.ACCEPTING_CONFIRMED),
        # Elasticsearch scores cannot go negative: penalties become bonuses for the rest.
        points(range_at_least("verified_at", fresh_since), weights.STALE_PENALTY),
        points(term("flagged", False), weights.FLAGGED_PENALTY),
    ]


def preference_clauses(needs: Needs, today: date) -> list[dict]:
    """`should` clauses worth each preference's points, shared over its entries."""
    found = [] if needs.requires("concerns") else fit_preference(needs)
    for need, clauses in _need_clauses(needs, today).items():
        if need in PREFERENCE_WEIGHTS and clauses and not needs.requires(need):
            found += [points(c, PREFERENCE_WEIGHTS[need] / len(clauses)) for c in clauses]
    return found + listing_preferences(today)


def proximity_functions(needs: Needs) -> list[dict]:
    """Distance decay with the ranker's half-life; telehealth counts as a fixed share."""
    transport = needs.transport_insecure
    half_life = weights.TRANSPORT_HALF_LIFE_MILES if transport else weights.DISTANCE_HALF_LIFE_MILES
    share = weights.TRANSPORT_TELEHEALTH_PROXIMITY if transport else weights.TELEHEALTH_PROXIMITY
    origin = {"lat": needs.point.lat, "lon": needs.point.lon}
    decay = {"location": {"origin": origin, "scale": f"{half_life:g}mi", "decay": 0.5}}
    return [
        {"filter": term("visit", IN_PERSON), "exp": decay, "weight": weights.DISTANCE},
        {"filter": term("visit", TELEHEALTH), "weight": weights.DISTANCE * share},
    ]


def retrieval_query(needs: Needs, today: date) -> dict:
    """Required needs as filters, preferences as scored `should` clauses, distance as decay."""
    filters = [
        visit_filter(needs, today),
        *rule_filters(needs),
        *required_need_filters(needs, today),
    ]
    return {
        "function_score": {
            "query": {"bool": {"filter": filters, "should": preference_clauses(needs, today)}},
            "functions": proximity_functions(needs),
            "score_mode": "sum",
            "boost_mode": "sum",
        }
    }


def sort_clauses(needs: Needs) -> list[dict]:
    """The pre-ranked order: nearest first for a distance sort (telehealth has no location, so
    it comes last), else best score; the doc key makes `search_after` paging total."""
    by_score = [{"_score": {"order": "desc"}}, {"doc_key": {"order": "asc"}}]
    if needs.sort != DISTANCE:
        return by_score
    origin = {"lat": needs.point.lat, "lon": needs.point.lon}
    nearest = {"_geo_distance": {"location": origin, "order": "asc", "unit": "mi"}}
    return [nearest, *by_score]


def search_body(needs: Needs, today: date, size: int, after: list | None = None) -> dict:
    """One page of candidates, best pre-ranked first; `after` continues from a page's last sort."""
    body = {
        "query": retrieval_query(needs, today),
        "size": size,
        "sort": sort_clauses(needs),
        "_source": {"includes": list(SOURCE_FIELDS)},
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = after
    return body
