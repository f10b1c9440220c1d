"""One directory and the matching scenarios both backends must rank the same way.

The directory exercises every rule a query clause mirrors: per-location networks and
acceptance overrides, telehealth licenses (one expired), age groups, conditions not treated,
waits, hours, accessibility, flags, stale listings, an inactive clinician, a place without
coordinates and accented names.
"""

from datetime import date

from directory.extensions import db
from directory.geography import DisabledGeocoder
from directory.models import License
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from matching.ranking import rank
from tests.matching.match_directory import (
    NOW,
    add_clinician,
    add_location,
    add_network,
    add_plan,
)

CAMBRIDGE = "02139"
STALE = NOW.replace(year=2025)

# name -> raw needs, as the matching API receives them.
SCENARIOS = {
    "defaults": {},
    "spanish_required_10mi": {
        "languages": ["es"],
        "required": ["languages"],
        "max_distance_miles": 10,
    },
    "either_modality": {"modality": "either"},
    "telehealth_ma": {"modality": "telehealth"},
    "telehealth_ct": {"modality": "telehealth", "postal_code": "06103"},
    "teen_with_depression": {"age": 15, "concerns": ["depression"], "required": ["concerns"]},
    "wheelchair_evenings": {
        "accessibility": ["wheelchair"],
        "availability": ["evening"],
        "required": ["availability"],
        "modality": "either",
    },
    "soon": {"max_wait_days": 14, "required": ["max_wait_days"], "modality": "either"},
    "preferences_only": {
        "clinician_gender": "female",
        "cultural_preferences": ["lgbtq_affirming"],
        "languages": ["pt"],
        "concerns": ["anxiety"],
        "max_wait_days": 7,
    },
    "no_plan_wide": {"plan": None, "max_distance_miles": 60, "modality": "either"},
    "include_closed": {"accepting_new_patients": False, "modality": "either"},
    "transport_insecure": {"diagnoses": ["Z59.82", "F41.1"], "modality": "either"},
    "psychologists": {"specialties": ["103T00000X"], "max_distance_miles": 50},
    "culture_required": {
        "cultural_preferences": ["lgbtq_affirming", "latino_hispanic"],
        "required": ["cultural_preferences"],
        "plan": None,
    },
    "medicaid_or_uninsured": {
        "payment": ["medicaid", "uninsured"],
        "required": ["payment"],
        "modality": "either",
    },
    "fee_required_sliding_preferred": {
        "max_fee": 100,
        "payment": ["sliding_scale"],
        "required": ["max_fee"],
        "modality": "either",
    },
    "cost_preferred": {"max_fee": 0, "payment": ["medicare"], "modality": "either"},
    "nearest_first": {
        "sort": "distance",
        "plan": None,
        "max_distance_miles": 60,
        "modality": "either",
    },
    "soonest_first": {"sort": "soonest", "modality": "either"},
}


# name -> (serial, places, networks, languages, licenses, other fields). A place may carry an
# acceptance override (place, flag); a network may be limited to one place (network, place).
PEOPLE = {
    "ana": (
        1,
        ["boston", "cambridge"],
        ["GoldNet"],
        ["es", "en"],
        ["MA"],
        {
            "gender": "female",
            "first_name": "José",
            "last_name": "Núñez",
            "modalities": ["in_person", "video"],
            "conditions_treated": ["depression", "anxiety"],
            "age_groups": ["adolescents", "adults"],
            "wait_days": 10,
            "competencies": ["latino_hispanic", "lgbtq_affirming"],
            "sliding_scale": True,
            "fee_min": 40,
            "fee_max": 120,
        },
    ),
    "ben": (
        2,
        ["boston"],
        ["GoldNet"],
        ["en"],
        [],
        {
            "gender": "male",
            "conditions_not_treated": ["depression"],
            "next_available_on": date(2026, 3, 10),
            "taxonomies": ["103TC0700X"],
            "accepts_medicaid": True,
            "accepts_medicare": True,
            "fee_min": 150,
            "fee_max": 150,
        },
    ),
    "cruz": (3, ["worcester"], ["GoldNet"], ["es", "pt"], [], {"age_groups": ["children"]}),
    "dora": (
        4,
        ["boston"],
        ["OtherNet"],
        ["es"],
        [],
        {"gender": "female", "accepts_medicaid": False, "accepts_uninsured": False},
    ),
    "eli": (
        5,
        [],
        ["GoldNet"],
        ["es"],
        ["MA"],
        {
            "modalities": ["video"],
            "wait_days": 3,
            "competencies": ["lgbtq_affirming"],
            "free_care": True,
        },
    ),
    "fay": (6, [("boston", False), "cambridge"], ["GoldNet"], ["es"], [], {"gender": "female"}),
    "gus": (7, ["boston"], ["GoldNet"], ["es"], [], {"active": False}),
    "hal": (
        8,
        ["cambridge"],
        [("GoldNet", "cambridge")],
        ["pt"],
        [],
        {
            "verified_at": STALE,
            "flagged_reason": "referral declined: not in network",
            "age_groups": ["adults"],
        },
    ),
    "ida": (
        9,
        ["nowhere", "boston"],
        ["GoldNet"],
        ["en"],
        ["RI"],
        {
            "modalities": ["phone", "in_person"],
            "accepting_new_patients": None,
            "taxonomies": ["103T00000X", "101YM0800X"],
        },
    ),
    "jon": (
        10,
        ["worcester"],
        ["GoldNet"],
        ["en"],
        ["MA"],
        {
            "modalities": ["video"],
            "gender": "male",
        },
    ),
    "kim": (11, ["cambridge"], [("GoldNet", "worcester")], ["ko", "en"], [], {"gender": "female"}),
}


def _places() -> dict:
    """Three places around Boston with coordinates, and one without."""
    return {
        "boston": add_location(
            42.35,
            -71.07,
            state="MA",
            postal_code="02116",
            accessibility=["wheelchair"],
            evening_hours=True,
        ),
        "cambridge": add_location(
            42.37, -71.11, state="MA", postal_code="02139", weekend_hours=True
        ),
        "worcester": add_location(42.2626, -71.8023, state="MA", postal_code="01608"),
        "nowhere": add_location(None, None, state="MA", postal_code="02140"),
    }


def _resolved(entries: list, places: dict) -> list:
    """Place names (alone or first in a pair) replaced by the places."""
    found = []
    for entry in entries:
        if isinstance(entry, tuple):
            first, second = entry
            found.append((places.get(first, first), places.get(second, second)))
        else:
            found.append(places.get(entry, entry))
    return found


def build_directory() -> dict:
    """Eleven clinicians around Cambridge MA; returns them by first name."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_network("OtherNet")
    places = _places()
    people = {
        name: add_clinician(
            serial,
            _resolved(at, places),
            _resolved(networks, places),
            languages,
            licenses,
            **dict(fields),
        )
        for name, (serial, at, networks, languages, licenses, fields) in PEOPLE.items()
    }
    people["jon"].licenses[0].expires_on = date(2025, 12, 31)
    people["ida"].licenses.append(License(state="MA", number="MA-9", expires_on=date(2027, 1, 1)))
    db.session.commit()
    return people


def load_needs(raw: dict):
    """Needs from raw input around Cambridge, plan Gold unless the scenario says otherwise."""
    body = {"postal_code": CAMBRIDGE, "plan": "Gold", **raw}
    if body.get("plan") is None:
        body.pop("plan")
    schema = NeedsSchema(plans=plan_lookup(db.session), geocoder=DisabledGeocoder())
    return schema.load(body)


def ranking(needs, backend) -> list[tuple]:
    """What a caller sees: clinician, visit, place, distance and score, in order."""
    return [
        (
            m.candidate.npi,
            m.candidate.visit,
            m.place.id if m.place else None,
            None if m.distance_miles is None else round(m.distance_miles, 6),
            m.score,
        )
        for m in rank(needs, backend.retrieve(needs), {}, NOW)
    ]
