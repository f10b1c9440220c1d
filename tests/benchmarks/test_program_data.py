"""The program benchmark's generator and search mix: seeded, realistic, valid searches."""

import random
from collections import Counter
from datetime import UTC, datetime

from benchmarks.program_bench import make_needs
from benchmarks.program_data import Builder
from programs.needs import ProgramNeedsSchema

AS_OF = datetime(2026, 12, 1, tzinfo=UTC)


def _build(seed: int, services: int) -> Builder:
    builder = Builder(seed, AS_OF)
    made = 0
    while made < services:
        made += builder.organization(services - made)
    return builder


def test_the_same_seed_makes_the_same_programs_and_another_seed_others():
    first, again, other = _build(1, 300), _build(1, 300), _build(2, 300)

    assert first.tables == again.tables
    assert first.tables["program_service"] != other.tables["program_service"]
    assert len(first.tables["program_service"]) == 300


def test_the_mix_of_kinds_sites_and_facets_is_the_intended_one():
    tables = _build(1, 2000).tables
    services, sites = tables["program_service"], tables["program_site"]
    needs = Counter(n for s in services for n in s["needs"])

    assert needs.most_common(2) == [("food", 713), ("substance_use_treatment", 553)]
    assert len(sites) == 2184  # a tenth of the services have a second site
    assert len(tables["program_organization"]) == 1287  # one to three services each
    assert sum(s["status"] == "inactive" for s in services) == 66
    assert sum(loc["lat"] is None for loc in tables["program_location"]) == 34
    assert sum("es" in s["languages"] for s in services) == 776


def test_every_search_of_the_mix_is_valid():
    rng = random.Random(1)
    bodies = [make_needs(rng, ["02139", "60614", "94110"], ["59001"]) for _ in range(200)]

    parsed = [ProgramNeedsSchema().load(body) for body in bodies]

    assert len(parsed) == 200
    assert sum(bool(p.medications) for p in parsed) == 34
    assert sum("open_now" in p.schedule for p in parsed) == 22
