"""The shared re-ranker on hand-built candidates: no database, no Flask."""

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from directory.geography import Point
from matching import weights
from matching.backend import Candidate, Place
from matching.diagnoses import diagnose
from matching.needs import Needs, PlanScope
from matching.ranking import rank
from matching.signals import ReferralSignals
from tests.matching.match_directory import NOW

HOME = Point(42.36, -71.10)
GOLD = PlanScope("Gold", "Acme Gold", frozenset({"Gold", "GoldNet"}))


def place(pid=1, **kw):
    return Place(id=pid, address=f"{pid} Main St", lat=42.35, lon=-71.07, **kw)


def cand(serial, miles=2.0, **kw):
    kw.setdefault("place", place())
    base = Candidate(
        clinician_id=serial,
        npi=f"10000000{serial:02d}",
        name=f"Clinician {serial}",
        visit="in_person",
        distance_miles=miles,
        network_ids=frozenset({"GoldNet"}),
        accepting_new_patients=True,
        verified_at=NOW - timedelta(days=1),
        wait_days=7,
    )
    return replace(base, **kw)


def needs(**kw):
    return Needs(point=HOME, state="MA", plan=GOLD, **kw)


def order(found):
    return [m.candidate.clinician_id for m in found]


def codes(entries):
    return [(e.code, e.value) for e in entries]


def test_reasons_and_unmet_name_every_need():
    wanted = needs(
        languages=("es",),
        clinician_gender="female",
        cultural_preferences=("lgbtq_affirming", "veterans"),
        concerns=("anxiety", "depression"),
        age=30,
        age_groups=frozenset({"adults"}),
        availability=("evening",),
        max_wait_days=5,
    )
    c = cand(
        1,
        languages=frozenset({"es", "en"}),
        gender="male",
        competencies=frozenset({"veterans"}),
        conditions_treated=frozenset({"anxiety"}),
        age_groups=frozenset({"adults", "older_adults"}),
        place=place(evening_hours=True),
    )

    (match,) = rank(wanted, [c], {}, NOW)

    assert codes(match.reasons) == [
        ("distance", 2.0),
        ("plan", "Gold"),
        ("age", ("adults",)),
        ("accepting", None),
        ("concern", "anxiety"),
        ("language", ("es",)),
        ("competency", "veterans"),
        ("availability", "evening"),
    ]
    assert codes(match.unmet) == [
        ("concern", "depression"),
        ("gender", "female"),
        ("competency", "lgbtq_affirming"),
        ("wait", 5),
    ]
    assert match.score == pytest.approx(sum(v for _, v in match.components), abs=1e-3)


def test_unmet_preferences_are_said_plainly():
    wanted = needs(clinician_gender="female", cultural_preferences=("lgbtq_affirming",))
    wanted = wanted.replace(concerns=("depression",), max_wait_days=5)

    (match,) = rank(wanted, [cand(1, gender="male")], {}, NOW)

    assert [e.text for e in match.unmet] == [
        "Not listed for depression",
        "Not listed as a female clinician",
        "Not listed: LGBTQ+-affirming",
        "Next opening in 7 days (wanted 5 or fewer)",
    ]


def test_a_required_need_removes_the_candidate_even_if_a_backend_sent_it():
    wanted = needs(languages=("pt",), required=frozenset({"languages"}))

    assert rank(wanted, [cand(1, languages=frozenset({"es"}))], {}, NOW) == []


@pytest.mark.parametrize(
    "change",
    [
        {"miles": 30.0},
        {"network_ids": frozenset({"OtherNet"})},
        {"accepting_new_patients": False},
        {"age_groups": frozenset({"children"})},
        {"conditions_not_treated": frozenset({"depression"})},
        {"modalities": frozenset({"video"})},  # a telehealth-only clinician is not seen in person
        {"visit": "telehealth", "place": None, "modalities": frozenset({"video"})},  # no license
    ],
)
def test_always_required_needs_filter(change):
    wanted = needs(age=30, age_groups=frozenset({"adults"}), concerns=("depression",))

    assert rank(wanted, [cand(1, **change)], {}, NOW) == []


def test_telehealth_ignores_distance_but_needs_the_license():
    wanted = needs(modality="telehealth")
    licensed = cand(1, visit="telehealth", place=None, distance_miles=None)
    licensed = replace(licensed, modalities=frozenset({"video"}), license_states=frozenset({"MA"}))
    other_state = replace(licensed, clinician_id=2, npi="1000000002", license_states={"NH"})

    found = rank(wanted, [licensed, other_state], {}, NOW)

    assert order(found) == [1]
    assert codes(found[0].reasons)[0] == ("telehealth", "MA")


def test_fit_treats_beats_taxonomy_beats_nothing():
    wanted = needs(concerns=("depression",))
    treats = cand(3, conditions_treated=frozenset({"depression"}))
    by_taxonomy = cand(2, taxonomies=frozenset({"103T00000X"}))
    neither = cand(1, taxonomies=frozenset({"207R00000X"}))

    found = rank(wanted, [neither, by_taxonomy, treats], {}, NOW)

    assert order(found) == [3, 2, 1]
    assert [m.reasons[-1].text for m in found[:2]] == [
        "Treats depression",
        "Specialty suits depression",
    ]


def test_nearer_ranks_higher_and_ties_break_by_npi():
    found = rank(needs(), [cand(3, 5.0), cand(2, 1.0), cand(1, 5.0)], {}, NOW)

    assert order(found) == [2, 1, 3]


def test_ranking_does_not_depend_on_input_order():
    pool = [cand(i, miles=float(i % 4), wait_days=i % 3) for i in range(1, 30)]
    expected = order(rank(needs(), pool, {}, NOW))

    for seed in range(5):
        shuffled = pool[:]
        random.Random(seed).shuffle(shuffled)
        assert order(rank(needs(), shuffled, {}, NOW)) == expected


def test_stale_listings_rank_down_and_are_marked():
    stale = cand(1, verified_at=NOW - timedelta(days=91))
    never = cand(2, verified_at=None)
    fresh = cand(3, miles=4.0)

    found = rank(needs(), [stale, never, fresh], {}, NOW)

    assert order(found) == [3, 1, 2]
    assert [m.stale for m in found] == [False, True, True]
    assert found[2].notices[0].text == "Never verified; confirm before referring"


def test_open_referrals_spread_the_next_referral():
    a, b = cand(1), cand(2)
    assert order(rank(needs(), [a, b], {}, NOW)) == [1, 2]

    loaded = {1: ReferralSignals(open_referrals=1)}

    assert order(rank(needs(), [a, b], loaded, NOW)) == [2, 1]


def test_capacity_is_the_clinicians_own():
    roomy = cand(1, referral_capacity=20)
    small = cand(2, referral_capacity=2)
    signals = {1: ReferralSignals(open_referrals=2), 2: ReferralSignals(open_referrals=2)}

    found = rank(needs(), [small, roomy], signals, NOW)

    assert order(found) == [1, 2]
    assert [n.code for n in found[1].notices] == ["at_capacity"]
    assert dict(found[1].components)["load"] == 0.0


def test_responsive_clinicians_rank_higher():
    signals = {2: ReferralSignals(on_time=4, answered=4), 1: ReferralSignals(on_time=0, answered=4)}

    assert order(rank(needs(), [cand(1), cand(2)], signals, NOW)) == [2, 1]


def test_transportation_insecurity_favours_telehealth():
    tele = cand(
        1,
        visit="telehealth",
        place=None,
        distance_miles=None,
        modalities=frozenset({"video", "in_person"}),
        license_states=frozenset({"MA"}),
    )
    drive = cand(2, miles=8.0)
    plain = needs(modality="either")
    insecure = needs(modality="either", diagnoses=(diagnose("Z59.82"),))

    assert order(rank(plain, [tele, drive], {}, NOW)) == [2, 1]
    assert order(rank(insecure, [tele, drive], {}, NOW)) == [1, 2]
    assert ("transportation", None) in codes(rank(insecure, [tele], {}, NOW)[0].reasons)


def test_one_result_per_clinician_at_its_best_place():
    far = cand(1, miles=9.0, place=place(2))
    near = cand(1, miles=1.0, place=place(3))

    (match,) = rank(needs(), [far, near], {}, NOW)

    assert match.place.id == 3


def test_accessibility_is_moot_for_telehealth():
    wanted = needs(modality="telehealth", accessibility=("wheelchair",))
    tele = cand(1, visit="telehealth", place=None, distance_miles=None)
    tele = replace(tele, modalities=frozenset({"phone"}), license_states=frozenset({"MA"}))

    (match,) = rank(wanted, [tele], {}, NOW)

    assert "accessibility" not in [e.code for e in match.reasons + match.unmet]


def test_sooner_openings_rank_higher():
    soon = cand(2, wait_days=None, next_available_on=(NOW + timedelta(days=1)).date())
    late = cand(1, wait_days=40)

    assert order(rank(needs(), [late, soon], {}, NOW)) == [2, 1]


def test_unknown_acceptance_and_ages_are_notices():
    wanted = needs(age=8, age_groups=frozenset({"children"}))

    (match,) = rank(wanted, [cand(1, accepting_new_patients=None)], {}, NOW)

    assert [n.code for n in match.notices] == ["accepting_unknown", "ages_unknown"]
    assert dict(match.components)["accepting"] == 0.0


def test_weights_are_what_the_components_use():
    (match,) = rank(needs(), [cand(1, miles=0.0, wait_days=0)], {}, NOW)

    parts = dict(match.components)
    assert parts["distance"] == weights.DISTANCE
    assert parts["wait"] == weights.WAIT
    assert parts["load"] == weights.LOAD
    assert parts["responsiveness"] == weights.RESPONSIVENESS / 2
