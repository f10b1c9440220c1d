"""Hand-computed counties on a synthetic state: distance at the boundary, ratio, telehealth."""

import numpy as np
import pytest
from geopy.distance import geodesic

from adequacy.compute import Providers, assess
from adequacy.geometry import Points, reach
from adequacy.standards import Standard, Zcta

A1 = (41.0, -100.0)
A2 = (41.6, -100.0)  # about 41 miles north of A1


def _at(origin, bearing, miles):
    """The point `miles` (geodesic) from `origin` on `bearing`."""
    found = geodesic(miles=miles).destination(origin, bearing)
    return found.latitude, found.longitude


def _standard(fips, designation, miles, minutes, min_providers, code="029"):
    return Standard(fips, "ZZ", f"County {fips}", designation, 10000, code, minutes, miles,
                    min_providers)  # fmt: skip


ZCTAS = {
    # Metro county: 1,000 people at A1, 3,000 at A2.
    "99001": [Zcta("90001", "99001", 1000, *A1), Zcta("90002", "99001", 3000, *A2)],
    # Rural county: 800 people near a provider, 200 far from any.
    "99003": [
        Zcta("90003", "99003", 800, 43.0, -100.0),
        Zcta("90004", "99003", 200, 46.0, -100.0),
    ],
}


def _providers(*placed):
    """Providers as (clinician id, (lat, lon))."""
    return Providers([p[1][0] for p in placed], [p[1][1] for p in placed], [p[0] for p in placed])


def _rows(standards, providers, telehealth=()):
    rows = assess(standards, lambda fips: ZCTAS.get(fips, []), providers, set(telehealth))
    return {(r["fips"], r["specialty_code"]): r for r in rows}


def test_a_provider_exactly_at_the_maximum_distance_counts_and_one_just_beyond_does_not():
    metro = _standard("99001", "Metro", 30, 45, 2)  # 45 min at 40 mph is also 30 miles
    rows = _rows(
        [metro],
        {"029": _providers((1, _at(A1, 90, 30.0)), (2, _at(A2, 270, 30.001)))},
    )
    row = rows[("99001", "029")]
    assert row["radius_miles"] == 30.0
    assert row["population"] == 4000
    assert row["population_within_standard"] == 1000
    assert row["share_within_standard"] == 0.25
    assert row["providers"] == 1
    assert row["min_providers"] == 2
    assert row["provider_shortfall"] == 1
    assert row["required_share"] == 0.9
    assert row["share_shortfall"] == 0.65
    assert row["meets"] is False


def test_the_time_limit_binds_when_it_allows_less_than_the_miles():
    # Large Metro: 15 minutes at the 30 mph proxy is 7.5 miles, under the 10-mile limit.
    tight = _standard("99001", "Large Metro", 10, 15, 1)
    inside = _rows([tight], {"029": _providers((1, _at(A1, 0, 7.5)), (2, _at(A2, 0, 7.5)))})
    beyond = _rows([tight], {"029": _providers((1, _at(A1, 0, 7.6)), (2, _at(A2, 0, 7.6)))})
    assert inside[("99001", "029")]["radius_miles"] == 7.5
    assert inside[("99001", "029")]["share_within_standard"] == 1.0
    assert inside[("99001", "029")]["meets"] is True
    assert beyond[("99001", "029")]["share_within_standard"] == 0.0
    assert beyond[("99001", "029")]["providers"] == 0


def test_one_clinician_at_two_places_counts_once_toward_the_minimum():
    metro = _standard("99001", "Metro", 30, 45, 1)
    rows = _rows([metro], {"029": _providers((7, A1), (7, A2))})
    assert rows[("99001", "029")]["providers"] == 1
    assert rows[("99001", "029")]["share_within_standard"] == 1.0
    assert rows[("99001", "029")]["meets"] is True


def test_exactly_the_required_share_meets_it():
    rural = _standard("99003", "Rural", 60, 75, 1)  # 75 min at 48 mph: 60 miles
    rows = _rows([rural], {"029": _providers((1, (43.0, -100.0)))})
    row = rows[("99003", "029")]
    assert row["share_within_standard"] == 0.8  # 800 of 1,000
    assert row["required_share"] == 0.85
    assert row["share_shortfall"] == 0.05
    assert row["meets"] is False


def test_telehealth_adds_ten_points_and_can_make_the_county_meet():
    rural = _standard("99003", "Rural", 60, 75, 1)
    rows = _rows([rural], {"029": _providers((1, (43.0, -100.0)))}, telehealth={"029"})
    row = rows[("99003", "029")]
    assert row["share_within_standard"] == 0.8
    assert row["telehealth_credit"] == 0.1
    assert row["share_with_credit"] == 0.9
    assert row["share_shortfall"] == 0.0
    assert row["meets"] is True


def test_telehealth_in_another_type_earns_no_credit():
    rural = _standard("99003", "Rural", 60, 75, 1)
    rows = _rows([rural], {"029": _providers((1, (43.0, -100.0)))}, telehealth={"037"})
    assert rows[("99003", "029")]["telehealth_credit"] == 0
    assert rows[("99003", "029")]["meets"] is False


def test_the_credit_never_takes_the_share_past_one():
    metro = _standard("99001", "Metro", 30, 45, 1)
    rows = _rows([metro], {"029": _providers((1, A1), (2, A2))}, telehealth={"029"})
    assert rows[("99001", "029")]["share_with_credit"] == 1.0


def test_each_type_is_measured_only_against_its_own_providers():
    standards = [_standard("99001", "Metro", 30, 45, 1, code)
                 for code in ("029", "036", "037", "068")]  # fmt: skip
    rows = _rows(standards, {"037": _providers((3, A1), (4, A2))})
    assert rows[("99001", "037")]["providers"] == 2
    assert rows[("99001", "037")]["meets"] is True
    for code in ("029", "036", "068"):
        assert rows[("99001", code)]["providers"] == 0
        assert rows[("99001", code)]["share_within_standard"] == 0.0
        assert rows[("99001", code)]["specialty"] in {
            "Psychiatry", "Clinical Psychology", "Outpatient Behavioral Health"
        }  # fmt: skip


def test_a_county_without_population_is_judged_on_its_providers_only():
    empty = _standard("99005", "CEAC", 100, 110, 1)
    rows = _rows([empty], {"029": _providers((1, A1))})
    row = rows[("99005", "029")]
    assert row["population"] == 0
    assert row["share_within_standard"] is None
    assert row["providers"] == 0
    assert row["meets"] is False


def test_the_grid_agrees_with_a_brute_force_geodesic_on_random_points():
    rng = np.random.default_rng(7)
    people = Points(
        rng.uniform(30, 48, 150),
        rng.uniform(-120, -75, 150),
        rng.integers(0, 5, 150),
        rng.choice([10.0, 30.0, 60.0, 100.0], 150),
    )
    providers = Points(rng.uniform(30, 48, 250), rng.uniform(-120, -75, 250),
                       rng.integers(1, 100, 250))  # fmt: skip
    found = reach(people, providers)
    covered = np.zeros(150, dtype=bool)
    owners = {g: set() for g in range(5)}
    for i in range(150):
        for j in range(250):
            a = (people.lat[i], people.lon[i])
            if geodesic(a, (providers.lat[j], providers.lon[j])).miles <= people.radius[i]:
                covered[i] = True
                owners[int(people.tag[i])].add(int(providers.tag[j]))
    assert covered.sum() > 20
    assert (found.covered == covered).all()
    assert {g: found.owners.get(g, set()) for g in range(5)} == owners


@pytest.mark.parametrize("lat", [0.0, 64.5, -40.0])
def test_a_point_on_the_radius_counts_at_any_latitude(lat):
    for bearing in (0, 45, 90, 180, 270):
        people = Points(np.array([lat]), np.array([10.0]), np.array([0]), np.array([25.0]))
        target = _at((lat, 10.0), bearing, 25.0)
        providers = Points(np.array([target[0]]), np.array([target[1]]), np.array([1]))
        assert reach(people, providers).covered.tolist() == [True]


def test_lambert_is_within_a_metre_of_the_geodesic_up_to_150_miles():
    from adequacy.geometry import lambert_miles

    for lat, bearing, miles in [(25.0, 10, 150.0), (45.0, 90, 60.0), (64.0, 200, 5.0)]:
        there = _at((lat, -100.0), bearing, miles)
        found = lambert_miles(np.array([lat]), np.array([-100.0]), np.array([there[0]]),
                              np.array([there[1]]))  # fmt: skip
        assert abs(found[0] - miles) < 0.001


def test_dense_providers_settled_cell_by_cell_agree_with_a_brute_force_geodesic():
    # Providers packed around the people: most cells lie wholly inside or outside a radius,
    # and some are cut by it, so every path of the sweep decides some pairs.
    rng = np.random.default_rng(11)
    people = Points(
        rng.normal(34.0, 0.15, 30),
        rng.normal(-118.2, 0.15, 30),
        rng.integers(0, 3, 30),
        rng.choice([5.0, 12.5], 30),
    )
    providers = Points(rng.normal(34.0, 0.2, 400), rng.normal(-118.2, 0.2, 400),
                       rng.integers(1, 300, 400))  # fmt: skip
    found = reach(people, providers)
    covered = np.zeros(30, dtype=bool)
    owners = {g: set() for g in range(3)}
    for i in range(30):
        a = (people.lat[i], people.lon[i])
        for j in range(400):
            if geodesic(a, (providers.lat[j], providers.lon[j])).miles <= people.radius[i]:
                covered[i] = True
                owners[int(people.tag[i])].add(int(providers.tag[j]))
    assert covered.all()
    assert min(len(o) for o in owners.values()) > 60
    assert (found.covered == covered).all()
    assert {g: found.owners.get(g, set()) for g in range(3)} == owners


def test_after_a_move_only_the_counties_it_can_reach_are_recomputed(monkeypatch):
    import adequacy.compute as compute

    standards = [_standard("99001", "Metro", 30, 45, 1), _standard("99003", "Rural", 60, 75, 1)]
    before = {"029": _providers((1, (41.0, -100.05)), (2, (43.1, -100.0)))}
    kept = {}
    assess(standards, lambda fips: ZCTAS[fips], before, set(), kept)
    computed = []
    real = compute.assess_type

    def spy(counties, *rest):
        computed.append([c.fips for c in counties])
        return real(counties, *rest)

    monkeypatch.setattr(compute, "assess_type", spy)
    # Clinician 1 moves from beside A1 to beside A2, 97 miles short of the rural county's ZCTAs.
    after, moved = before["029"].replaced(np.array([1]), _providers((1, (41.6, -100.05))))
    kept = {key: rows.after(moved) for key, rows in kept.items()}
    rows = assess(standards, lambda fips: ZCTAS[fips], {"029": after}, set(), kept)
    assert computed == [["99001"]]
    assert rows == assess(standards, lambda fips: ZCTAS[fips], {"029": after}, set())
    figures = [(r["fips"], r["population_within_standard"], r["providers"]) for r in rows]
    assert figures == [("99001", 3000, 1), ("99003", 800, 1)]
