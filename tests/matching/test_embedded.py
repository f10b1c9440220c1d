"""The embedded backend on a small directory: SQL filters, radius, telehealth, dedupe, counts."""

from datetime import date

import pytest

from directory.geography import DisabledGeocoder
from directory.models import License
from matching.embedded import EmbeddedBackend
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from matching.ranking import rank
from matching.service import find_matches
from matching.signals import no_signals
from tests.matching.match_directory import (
    NOW,
    add_clinician,
    add_location,
    add_network,
    add_plan,
)

CAMBRIDGE = "02139"  # centroid 42.362391, -71.102336


@pytest.fixture
def directory(db):
    """Seven clinicians around Cambridge MA, one plan over one network."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_network("OtherNet")
    boston = add_location(42.35, -71.07, state="MA", postal_code="02116")
    worcester = add_location(42.2626, -71.8023, state="MA", postal_code="01608")
    in_plan = ["GoldNet"]
    people = {
        "ana": add_clinician(1, [boston], in_plan, ["es", "en"], gender="female"),
        "ben": add_clinician(2, [boston], in_plan, ["en"], gender="male"),
        "cruz": add_clinician(3, [worcester], in_plan, ["es"]),
        "dora": add_clinician(4, [boston], ["OtherNet"], ["es"]),
        "eli": add_clinician(5, [], in_plan, ["es"], ["MA"], modalities=["video"]),
        "fay": add_clinician(6, [(boston, False)], in_plan, ["es"]),
        "gus": add_clinician(7, [boston], in_plan, ["es"], active=False),
    }
    db.session.commit()
    return people


def load(db, **raw):
    schema = NeedsSchema(plans=plan_lookup(db.session), geocoder=DisabledGeocoder())
    return schema.load({"postal_code": CAMBRIDGE, "plan": "Gold", **raw})


def names(matches):
    return [m.candidate.name.split()[-1] for m in matches]


def npis(people, *keys):
    return sorted(people[k].npi for k in keys)


def test_required_language_in_plan_within_radius(db, directory):
    needs = load(db, languages=["es"], required=["languages"], max_distance_miles=10)
    backend = EmbeddedBackend(db.session, NOW)

    found = rank(needs, backend.retrieve(needs), {}, NOW)

    assert sorted(m.candidate.npi for m in found) == npis(directory, "ana")
    assert backend.count(needs) == 1
    assert found[0].place.address == "1 Main St, Town, MA 02116"
    assert found[0].distance_miles == pytest.approx(1.9, abs=0.1)


def test_unknown_acceptance_is_kept_but_a_known_no_is_not(db, directory):
    needs = load(db, max_distance_miles=10)
    backend = EmbeddedBackend(db.session, NOW)
    directory["ben"].accepting_new_patients = None
    db.session.commit()

    found = {m.candidate.npi: m for m in rank(needs, backend.retrieve(needs), {}, NOW)}

    assert sorted(found) == npis(directory, "ana", "ben")
    ben = found[directory["ben"].npi]
    assert [n.code for n in ben.notices] == ["accepting_unknown"]


def test_telehealth_needs_a_license_in_the_patients_state(db, directory):
    backend = EmbeddedBackend(db.session, NOW)
    in_ma = load(db, modality="telehealth")
    in_ct = load(db, modality="telehealth", postal_code="06103")

    assert [m.candidate.npi for m in rank(in_ma, backend.retrieve(in_ma), {}, NOW)] == npis(
        directory, "eli"
    )
    assert backend.count(in_ct) == 0


def test_either_modality_dedupes_to_one_result_per_clinician(db, directory):
    directory["ana"].modalities = ["in_person", "video"]
    directory["ana"].licenses.append(License(state="MA", number="MA-ana"))
    db.session.commit()
    needs = load(db, modality="either", max_distance_miles=10)
    backend = EmbeddedBackend(db.session, NOW)

    candidates = backend.retrieve(needs)
    found = rank(needs, candidates, {}, NOW)

    ana = [c for c in candidates if c.npi == directory["ana"].npi]
    assert sorted(c.visit for c in ana) == ["in_person", "telehealth"]
    assert sorted(m.candidate.npi for m in found) == npis(directory, "ana", "ben", "eli")
    best = next(m for m in found if m.candidate.npi == directory["ana"].npi)
    assert best.candidate.visit == "in_person"  # nearby beats the telehealth share


def test_expired_license_does_not_count(db, directory):
    directory["eli"].licenses[0].expires_on = date(2025, 12, 31)
    db.session.commit()
    needs = load(db, modality="telehealth")

    assert EmbeddedBackend(db.session, NOW).count(needs) == 0


def test_relaxations_count_what_each_change_would_find(db, directory):
    needs = load(db, languages=["es"], required=["languages"], max_distance_miles=10)

    page = find_matches(needs, EmbeddedBackend(db.session, NOW), no_signals, NOW)

    assert page.total == 1
    found = {(r.relax, r.value): r.count for r in page.relaxations}
    assert found == {
        ("max_distance_miles", 50.0): 2,  # + Cruz in Worcester (36 mi)
        ("modality", "telehealth"): 1,  # Eli, licensed in MA
        ("languages", "preferred"): 2,  # + Ben
        ("accepting_new_patients", False): 2,  # + Fay
    }
    assert page.relaxation_summary == (
        "1 Spanish-speaking clinicians within 10 mi; 2 within 50 mi; 1 by telehealth; "
        "2 if language is preferred, not required; 2 counting those not taking new patients"
    )


def test_an_unplaced_office_is_out_of_distance_search_but_telehealth_keeps_the_clinician(
    db, directory
):
    unplaced = add_location(None, None, state="MA", postal_code="00000")
    hal = add_clinician(8, [unplaced], ["GoldNet"], ["es"], ["MA"], modalities=["video"])
    db.session.commit()
    backend = EmbeddedBackend(db.session, NOW)
    in_person = load(db, modality="in_person", max_distance_miles=100)
    telehealth = load(db, modality="telehealth")

    near = [m.candidate.npi for m in rank(in_person, backend.retrieve(in_person), {}, NOW)]
    remote = [m.candidate.npi for m in rank(telehealth, backend.retrieve(telehealth), {}, NOW)]

    assert unplaced.geo_precision == "none"
    assert hal.npi not in near
    assert sorted(remote) == sorted([directory["eli"].npi, hal.npi])
