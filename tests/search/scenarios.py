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
}


def build_directory() -> dict:
    """Eleven clinicians around Cambridge MA; returns them by first name."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_network("OtherNet")
    boston = add_location(
        42.35,
        -71.07,
        state="MA",
        postal_code="02116",
        accessibility=["wheelchair"],
        evening_hours=True,
    )
    cambridge = add_location(42.37, -71.11, state="MA", postal_code="02139", weekend_hours=True)
    worcester = add_location(42.2626, -71.8023, state="MA", postal_code="01608")
    nowhere = add_location(None, None, state="MA", postal_code="02140")
    gold = ["GoldNet"]
    people = {
        "ana": add_clinician(
            1,
            [boston, cambridge],
            gold,
            ["es", "en"],
            ["MA"],
            gender="female",
            first_name="José",
            last_name="Núñez",
            modalities=["in_person", "video"],
            conditions_treated=["depression", "anxiety"],
            age_groups=["adolescents", "adults"],
            competencies=["latino_hispanic", "lgbtq_affirming"],
            wait_days=10,
        ),
        "ben": add_clinician(
            2,
            [boston],
            gold,
            ["en"],
            gender="male",
            conditions_not_treated=["depression"],
            next_available_on=date(2026, 3, 10),
            taxonomies=["103TC0700X"],
        ),
        "cruz": add_clinician(3, [worcester], gold, ["es", "pt"], age_groups=["children"]),
        "dora": add_clinician(4, [boston], ["OtherNet"], ["es"], gender="female"),
        "eli": add_clinician(
            5,
            [],
            gold,
            ["es"],
            ["MA"],
            modalities=["video"],
            wait_days=3,
            competencies=["lgbtq_affirming"],
        ),
        "fay": add_clinician(6, [(boston, False), cambridge], gold, ["es"], gender="female"),
        "gus": add_clinician(7, [boston], gold, ["es"], active=False),
        "hal": add_clinician(
            8,
            [cambridge],
            [("GoldNet", cambridge)],
            ["pt"],
            verified_at=STALE,
            flagged_reason="referral declined: not in network",
            age_groups=["adults"],
        ),
        "ida": add_clinician(
            9,
            [nowhere, boston],
            gold,
            ["en"],
            ["RI"],
            modalities=["phone", "in_person"],
            accepting_new_patients=None,
            taxonomies=["103T00000X", "101YM0800X"],
        ),
        "jon": add_clinician(
            10,
            [worcester],
            gold,
            ["en"],
            ["MA"],
            modalities=["video"],
            gender="male",
        ),
        "kim": add_clinician(
            11,
            [cambridge],
            [("GoldNet", worcester)],
            ["ko", "en"],
            gender="female",
        ),
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
