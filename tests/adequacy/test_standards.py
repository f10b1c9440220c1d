"""The shipped CMS and Census extracts: a few values checked against the source files."""

from math import ceil

from adequacy.standards import PROXY_MPH, county_zctas, known_state, state_standards

# Master-sheet ratios per 1,000 beneficiaries (ma_hsd_2026_bh_criteria.csv).
RATIOS = {
    ("029", "Large Metro"): 0.14, ("029", "Metro"): 0.14, ("029", "Micro"): 0.12,
    ("029", "Rural"): 0.12, ("029", "CEAC"): 0.12,
    ("036", "Large Metro"): 0.15, ("036", "Metro"): 0.15, ("036", "Micro"): 0.13,
    ("036", "Rural"): 0.13, ("036", "CEAC"): 0.13,
    ("037", "Large Metro"): 0.25, ("037", "Metro"): 0.25, ("037", "Micro"): 0.22,
    ("037", "Rural"): 0.22, ("037", "CEAC"): 0.22,
}  # fmt: skip


def test_rhode_island_has_its_five_counties_and_four_types():
    rows = state_standards("RI")
    assert len(rows) == 20
    providence = [r for r in rows if r.county == "Providence" and r.specialty_code == "037"][0]
    assert (providence.fips, providence.designation, providence.beneficiaries) == (
        "44007", "Large Metro", 10089
    )  # fmt: skip
    assert (providence.max_miles, providence.max_minutes, providence.min_providers) == (10, 20, 3)


def test_the_minimum_is_the_ratio_times_beneficiaries_rounded_up_at_least_one():
    for state in ("RI", "CA", "TX", "AK"):
        for row in state_standards(state):
            if row.specialty_code == "068":
                assert row.min_providers == 1  # a facility type: one, as in the CMS file
                continue
            ratio = RATIOS[(row.specialty_code, row.designation)]
            assert row.min_providers == max(1, ceil(ratio * row.beneficiaries / 1000 - 1e-9))


def test_zcta_population_by_county():
    bristol = county_zctas("44001")
    assert sorted((z.zcta5, z.population) for z in bristol) == [
        ("02806", 17153), ("02809", 22493), ("02885", 11147)
    ]  # fmt: skip


def test_unknown_states_are_unknown():
    assert known_state("RI") and known_state("PR")
    assert not known_state("ZZ") and not known_state("ri")


def test_the_speed_proxy_matches_the_psychiatry_pairs():
    assert PROXY_MPH == {"Large Metro": 30.0, "Metro": 40.0, "Micro": 45.0, "Rural": 48.0,
                         "CEAC": 55.0}  # fmt: skip
