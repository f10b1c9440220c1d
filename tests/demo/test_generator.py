"""The seeded demo directory: determinism, valid codes, realistic shares, and `demo load`."""

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from demo.generator import generate
from demo.practice import DEMO_PLANS, NpiSequence
from directory.geography import Point, distance_miles, zip_centroid
from directory.member_ids import check, check_format
from directory.models import (
    Clinician,
    ClinicianLocation,
    Location,
    Network,
    NetworkParticipation,
    Organization,
)
from directory.npi import is_valid_npi
from directory.taxonomy import behavioral_health_codes, nucc
from directory.us_states import is_us_state
from directory.vocabulary import (
    COMPETENCY_PROVENANCES,
    GENDERS,
    LANGUAGE_PROFICIENCIES,
    languages,
    vocabulary,
)

AS_OF = date(2026, 11, 22)
NOON = datetime.combine(AS_OF, time(12), tzinfo=UTC)


def clinicians(db) -> list[Clinician]:
    return db.session.scalars(select(Clinician).order_by(Clinician.npi)).all()


def snapshot(db) -> list[tuple]:
    """Every generated fact, in a stable order."""
    facts = []
    for c in clinicians(db):
        facts.append(
            (
                c.npi, c.first_name, c.middle_name, c.last_name, c.gender, c.pronouns,
                tuple(c.credentials), tuple((t.code, t.is_primary) for t in c.taxonomies),
                tuple((lang.code, lang.proficiency) for lang in c.languages),
                tuple(sorted((lic.state, lic.number, lic.expires_on) for lic in c.licenses)),
                tuple((x.code, x.provenance) for x in c.competencies),
                tuple(c.conditions_treated), tuple(c.conditions_not_treated),
                tuple(c.approaches), tuple(c.age_groups), tuple(c.modalities),
                c.accepting_new_patients, c.wait_days, c.next_available_on,
                c.referral_capacity, c.verified_at,
                tuple(sorted(
                    (link.location.address, link.location.lat, link.location.lon,
                     link.location.name, link.accepting_new_patients)
                    for link in c.locations
                )),
                tuple(sorted(
                    (p.network_id, p.location.address if p.location else "")
                    for p in c.participations
                )),
            )
        )  # fmt: skip
    return facts


def test_same_seed_same_directory_other_seed_differs(db):
    generate(150, seed=7, as_of=AS_OF, batch_size=40)
    first = snapshot(db)
    generate(150, seed=7, as_of=AS_OF, batch_size=500)  # batch size changes nothing
    again = snapshot(db)
    generate(150, seed=8, as_of=AS_OF)
    other = snapshot(db)

    assert len(first) == 150
    assert again == first
    assert {f[0] for f in other}.isdisjoint({f[0] for f in first})
    assert db.session.scalar(select(func.count()).select_from(Clinician)) == 150


def test_npi_sequence_is_valid_unique_and_clear_of_the_sample_roster():
    sequence = NpiSequence(seed=3)
    npis = [sequence.npi(i) for i in range(20000)]

    assert all(is_valid_npi(n) for n in npis)
    assert len(set(npis)) == len(npis)
    assert not any(n.startswith("19") for n in npis)
    assert sequence.npi(5) == NpiSequence(seed=3).npi(5) != NpiSequence(seed=4).npi(5)


@pytest.fixture
def directory_500(db):
    summary = generate(500, seed=11, as_of=AS_OF)
    assert summary.clinicians == 500
    return clinicians(db)


def test_every_code_is_known(db, directory_500):
    scope = behavioral_health_codes("individual")
    for c in directory_500:
        assert is_valid_npi(c.npi)
        assert c.gender in GENDERS
        assert c.primary_taxonomy in scope
        assert all(t.code in nucc() for t in c.taxonomies)
        assert set(c.credentials) <= set(vocabulary("credentials"))
        for name, values in (
            ("concerns", c.conditions_treated + c.conditions_not_treated),
            ("approaches", c.approaches),
            ("age_groups", c.age_groups),
            ("modalities", c.modalities),
        ):
            assert set(values) <= set(vocabulary(name))
        assert c.approaches and c.age_groups and c.modalities
        assert not set(c.conditions_treated) & set(c.conditions_not_treated)
        assert c.conditions_treated
        assert all(x.code in vocabulary("competencies") for x in c.competencies)
        assert all(x.provenance in COMPETENCY_PROVENANCES for x in c.competencies)
        assert all(lang.code in languages() for lang in c.languages)
        assert all(lang.proficiency in LANGUAGE_PROFICIENCIES for lang in c.languages)
        states = {link.location.state for link in c.locations}
        assert states <= {lic.state for lic in c.licenses}
        assert all(is_us_state(lic.state) for lic in c.licenses)


def test_locations_sit_near_real_zip_centroids(db, directory_500):
    for place in db.session.scalars(select(Location)):
        centroid = zip_centroid(place.postal_code)
        assert centroid is not None
        assert distance_miles(centroid, Point(place.lat, place.lon)) < 2.2
        assert is_us_state(place.state)
        assert set(place.accessibility) <= set(vocabulary("accessibility"))
        assert place.phone[4:8] == "555-"  # numbers reserved for fiction


def share(items, predicate) -> float:
    return sum(1 for item in items if predicate(item)) / len(items)


def test_shares_look_like_the_workforce(db, directory_500):
    people = directory_500

    def family(*prefixes):
        return share(people, lambda c: c.primary_taxonomy.startswith(prefixes))

    assert family("1041C", "101YM", "101YP", "101Y0") == pytest.approx(0.45, abs=0.07)
    assert family("103T", "103G") == pytest.approx(0.20, abs=0.06)
    assert family("106H") == pytest.approx(0.08, abs=0.04)
    assert family("2084") == pytest.approx(0.08, abs=0.04)
    assert family("363LP") == pytest.approx(0.06, abs=0.035)
    assert family("101YA") == pytest.approx(0.05, abs=0.035)
    assert share(people, lambda c: c.gender == "female") == pytest.approx(0.70, abs=0.07)
    speaks = Counter(lang.code for c in people for lang in c.languages)
    assert speaks["en"] == len(people)
    assert speaks["es"] / len(people) == pytest.approx(0.13, abs=0.05)
    assert share(people, lambda c: c.is_stale(NOON)) == pytest.approx(0.15, abs=0.05)
    assert share(people, lambda c: c.accepting_new_patients is False) == pytest.approx(
        0.25, abs=0.06
    )
    assert share(people, lambda c: "video" in c.modalities) == pytest.approx(0.60, abs=0.07)


def test_places_plans_and_practices(db, directory_500):
    links = db.session.scalar(select(func.count()).select_from(ClinicianLocation))
    places = db.session.scalar(select(func.count()).select_from(Location))
    assert links / 500 == pytest.approx(1.3, abs=0.1)
    assert places < links  # group practices share their sites
    assert db.session.scalar(select(func.count()).select_from(Organization)) > 0
    plans = {p.id: p for p in DEMO_PLANS}
    for c in directory_500:
        joined = {p.network_id for p in c.participations}
        assert 1 <= len(joined) <= 4
        assert c.verified_source == "demo"
    hmo = db.session.get(Network, "demo-hmo")
    assert [n.id for n in hmo.networks] == [plans["demo-hmo"].network_id]
    assert (hmo.member_id_format, hmo.member_id_format_source) == (
        r"^DHH\d{9}$",
        "demo: synthetic member-id formats",
    )
    assert db.session.get(Network, "demo-select-net").member_id_format is None
    participations = db.session.scalar(select(func.count()).select_from(NetworkParticipation))
    assert participations >= 500


def test_demo_load_is_idempotent_and_keeps_the_roster(runner, db):
    result = runner.invoke(args=["demo", "load", "--clinicians", "120", "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "120 clinicians" in result.output
    assert "read 41 · inserted 25" in result.output
    total = db.session.scalar(select(func.count()).select_from(Clinician))
    assert total == 145

    again = runner.invoke(args=["demo", "load", "--clinicians", "120"])

    assert again.exit_code == 0, again.output
    assert "already has clinicians" in again.output
    assert db.session.scalar(select(func.count()).select_from(Clinician)) == total


def test_generate_replaces_only_demo_rows(runner, db):
    runner.invoke(args=["demo", "load", "--clinicians", "60", "--as-of", "2026-11-22"])

    result = runner.invoke(args=["demo", "generate", "--clinicians", "30", "--seed", "2"])

    assert result.exit_code == 0, result.output
    assert "30 clinicians" in result.output
    by_source = Counter(db.session.scalars(select(Clinician.source)))
    assert by_source["demo"] == 30
    assert sum(n for s, n in by_source.items() if s.startswith("roster:")) == 25
    assert db.session.get(Network, "example-hmo") is not None


def test_each_demo_plan_has_its_own_member_id_format():
    samples = {"demo-ppo": "DHP123456789", "demo-hmo": "dhh 123 456 789",
               "demo-epo": "DHE000000001", "demo-medicaid": "DCM12345678A",
               "demo-medicare": "DSA987654321"}  # fmt: skip
    for plan in DEMO_PLANS:
        assert check_format(plan.member_id_format) == plan.member_id_format
        assert check(samples[plan.id], DEMO_PLANS, None).only == plan
