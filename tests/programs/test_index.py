"""The program index answers exactly as the SQL search does, on generated programs."""

import random
from datetime import UTC, datetime

import pytest

from benchmarks.program_bench import make_needs
from benchmarks.program_data import Builder
from directory.extensions import db
from directory.geography import zip_centroid
from programs.index.keeper import program_index
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs

NOWS = (
    datetime(2026, 12, 2, 0, 30, tzinfo=UTC),  # Tuesday evening in the East, afternoon in the West
    datetime(2026, 12, 5, 15, 0, tzinfo=UTC),  # Saturday morning
    datetime(2026, 12, 7, 13, 59, tzinfo=UTC),  # Monday 8:59 in the East: 9-to-5 sites shut
)
EXTRAS = (
    {"schedule": ["open_now"], "required": ["schedule"]},
    {"schedule": ["evening", "weekend"]},
    {"languages": ["es", "zh"], "payment": ["uninsured", "medicare"]},
    {"age": 18, "preferred": ["needs"], "levels_of_care": ["otp", "2.1"]},
    {"medications": ["naltrexone"], "payment": ["free"], "required": ["payment", "age"],
     "age": 17},
    {"offset": 3, "limit": 5},
    {"max_distance_miles": 100, "limit": 100},
)  # fmt: skip


class AroundBoston:
    """The benchmark's ZIP table, drawing only within Boston's sectional centres (021, 022)."""

    def __init__(self, table):
        self.table = table
        self.centres = [z for z in table.zips if z.code in ("02139", "02215")]

    def pick(self, rng):
        return self.table.near(rng, rng.choice(self.centres))

    def near(self, rng, zip_):
        return self.table.near(rng, zip_)


@pytest.fixture
def generated(app):
    """400 services around the country and 400 packed around Boston, as the benchmark writes."""
    builder = Builder(7, datetime(2026, 12, 1, tzinfo=UTC))
    made = 0
    while made < 400:
        made += builder.organization(800 - made)
    builder.zips = AroundBoston(builder.zips)
    while made < 800:
        made += builder.organization(800 - made)
    with db.engine.begin() as connection:
        for name, rows in builder.tables.items():
            connection.execute(db.metadata.tables[name].insert(), rows)
    places = builder.tables["program_location"]
    return [p["postal_code"] for p in places if p["lat"] and zip_centroid(p["postal_code"])]


def _bodies(site_zips: list[str]) -> list[dict]:
    rng = random.Random(3)
    bodies = [make_needs(rng, site_zips, site_zips) for _ in range(30)]
    bodies += [make_needs(rng, ["02139", "02215", "02118"], site_zips) for _ in range(30)]
    for number, extra in enumerate(EXTRAS * 6):
        bodies.append(make_needs(rng, site_zips, site_zips) | extra | {"needs": ["food"]}
                      if number % 2 else make_needs(rng, site_zips, site_zips) | extra)  # fmt: skip
    return bodies


def _answer(app, path: str, body: dict, now: datetime):
    app.config["PROGRAM_INDEX"] = path
    page = find_programs(ProgramNeedsSchema().load(body), now)
    shown = [
        (f.service.id, f.location.id, f.distance_miles, f.score,
         [v.text for v in f.reasons], [v.text for v in f.unmet])
        for f in page.results
    ]  # fmt: skip
    return page.total, page.relaxations, shown


def test_the_index_and_sql_give_the_same_pages_totals_reasons_and_relaxations(app, generated):
    compared = found = relaxed = 0
    for now in NOWS:
        for body in _bodies(generated):
            indexed = _answer(app, "memory", body, now)
            assert indexed == _answer(app, "off", body, now), body
            compared += 1
            found += bool(indexed[2])
            relaxed += bool(indexed[1])
    app.config["PROGRAM_INDEX"] = "memory"
    keeper = program_index.keeper(app)
    assert keeper.state == "ready"
    assert len(keeper.snapshot) == 834  # the generated active services' placed sites
    assert compared == 306
    # The comparison is worth something only if both outcomes occur often.
    assert found > 150
    assert relaxed > 50
