"""A small, fixed directory around Cambridge, MA (ZIP 02139) for page and browser tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
    Organization,
)
from directory.npi import npi_check_digit

ZIP = "02139"
PLAN_ID = "masscare-hmo"
PLAN_NAME = "MassCare HMO"
OTHER_PLAN_ID = "bay-ppo"
SPANISH_SPEAKER = "Ana Rivera"
STALE_CLINICIAN = "Carla Nguyen"
FAR_CLINICIAN = "Frank Worcester"


def _npi(serial: int) -> str:
    first_nine = f"1{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def _plans() -> None:
    network = Network(id="masscare-net", name="MassCare network")
    bay_net = Network(id="bay-net", name="Bay State network")
    db.session.add_all(
        [
            Network(id=PLAN_ID, name=PLAN_NAME, kind="plan", plan_type="HMO", networks=[network]),
            Network(
                id=OTHER_PLAN_ID,
                name="Bay State PPO",
                kind="plan",
                plan_type="PPO",
                networks=[bay_net],
            ),
        ]
    )


def _locations() -> dict[str, Location]:
    harbor = Organization(name="Harbor Counseling", kind="group_practice", phone="617-555-0100")
    places = {
        "cambridge": Location(
            line1="1 Main St", city="Cambridge", state="MA", postal_code="02139",
            lat=42.3650, lon=-71.1040, organization=harbor, phone="617-555-0101",
        ),
        "boston": Location(
            line1="200 Beacon St", city="Boston", state="MA", postal_code="02116",
            lat=42.3550, lon=-71.0800, phone="617-555-0102", evening_hours=True,
            accessibility=["wheelchair"],
        ),
        "worcester": Location(
            line1="5 Elm St", city="Worcester", state="MA", postal_code="01608",
            lat=42.2626, lon=-71.8023, phone="508-555-0103",
        ),
    }  # fmt: skip
    db.session.add_all(places.values())
    return places


CLINICIANS = [
    # name, credentials, gender, languages, treats, competencies, place, networks, modalities,
    # accepting, days since verified, taxonomy
    ("Ana Rivera", ["LICSW"], "female", ["en", "es"], ["depression", "anxiety"],
     ["latino_hispanic", "lgbtq_affirming"], "cambridge", ["masscare-net"],
     ["in_person", "video"], True, 3, "1041C0700X"),
    ("Ben Okafor", ["PsyD"], "male", ["en"], ["anxiety", "trauma"], [], "boston",
     ["masscare-net"], ["in_person"], True, 10, "103TC0700X"),
    ("Carla Nguyen", ["LMHC"], "female", ["en", "vi"], ["depression", "substance_use"], [],
     "boston", ["masscare-net", "bay-net"], ["in_person", "video"], None, 200, "101YM0800X"),
    ("Dev Patel", ["MD"], "male", ["en", "hi"], ["bipolar", "depression"], [], "cambridge",
     ["bay-net"], ["in_person"], True, 1, "2084P0800X"),
    ("Frank Worcester", ["LCSW"], "male", ["en"], ["depression"], [], "worcester",
     ["masscare-net"], ["in_person"], True, 5, "1041C0700X"),
]  # fmt: skip


def _clinician(serial: int, row: tuple, places: dict, now: datetime) -> Clinician:
    name, creds, gender, langs, treats, comps, place, nets, modes, accepting, age, taxonomy = row
    first, last = name.split(" ", 1)
    clinician = Clinician(
        npi=_npi(serial), first_name=first, last_name=last, credentials=creds, gender=gender,
        conditions_treated=treats, modalities=modes, accepting_new_patients=accepting,
        age_groups=["young_adults", "adults", "older_adults"],
        verified_at=now - timedelta(days=age),
    )  # fmt: skip
    clinician.languages = [ClinicianLanguage(code=c) for c in langs]
    clinician.competencies = [ClinicianCompetency(code=c) for c in comps]
    clinician.taxonomies = [ClinicianTaxonomy(code=taxonomy, is_primary=True)]
    clinician.licenses = [License(state="MA", number=f"MA-{serial}")]
    clinician.locations = [ClinicianLocation(location=places[place])]
    clinician.participations = [NetworkParticipation(network_id=n) for n in nets]
    return clinician


def seed_directory(now: datetime | None = None) -> None:
    """Two plans, three places and five clinicians near ZIP 02139; committed."""
    now = now or datetime.now(UTC)
    _plans()
    places = _locations()
    db.session.flush()
    for serial, row in enumerate(CLINICIANS, start=1):
        db.session.add(_clinician(serial, row, places, now))
    db.session.commit()
