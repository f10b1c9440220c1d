"""Property tests: generated directories and needs, checked against an independent oracle."""

import math
from datetime import timedelta

import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db as _db
from directory.geography import Point
from directory.taxonomy import expand_specialties
from directory.vocabulary import age_groups_for
from matching.diagnoses import diagnose
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper
from matching.needs import Needs, PlanScope
from matching.policy import SELECTABLE
from matching.service import find_matches
from matching.signals import no_signals
from tests.matching import match_oracle as oracle
from tests.matching.match_directory import NOW, add_clinician, add_location, add_plan

# The clinician columns of ClinicianSpec.flags, in its order.
COST_COLUMNS = (
    "sliding_scale",
    "free_care",
    "accepts_medicaid",
    "accepts_medicare",
    "accepts_uninsured",
)
CENTER = Point(42.362391, -71.102336)  # ZIP 02139, Massachusetts
EDGES = (5.0, 10.0, 25.0, 50.0, 100.0)  # radii the needs and relaxations use
GOLD = PlanScope("Gold", "Acme Gold", frozenset({"Gold", "GoldNet"}))
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def subset(*items):
    return st.sets(st.sampled_from(items))


# Mostly near the patient; kept off the radii by a hair, so both geodesics agree on "inside".
distance = (st.floats(0, 5) | st.floats(0, 12) | st.floats(0, 30) | st.floats(0, 120)).filter(
    lambda d: all(abs(d - e) > 0.01 for e in EDGES)
)


def often(value, other):
    """`value` three times in four."""
    return st.sampled_from([value, value, value, other])


@st.composite
def place_specs(draw):
    lat, lon, _ = geodesic(miles=draw(distance)).destination(
        (CENTER.lat, CENTER.lon), draw(st.floats(0, 360))
    )
    return oracle.PlaceSpec(
        lat, lon, draw(subset("wheelchair", "asl")), draw(st.booleans()), draw(st.booleans())
    )


@st.composite
def clinician_specs(draw, n_places: int):
    index = st.integers(0, n_places - 1) if n_places else st.nothing()
    # A network participation is clinician-wide (None) or at one location.
    at = st.integers(-3, n_places - 1).map(lambda i: i if i >= 0 else None)
    return oracle.ClinicianSpec(
        places=draw(
            st.lists(
                st.tuples(index, often(None, False)),
                min_size=1,
                max_size=2,
                unique_by=lambda t: t[0],
            )
            if n_places
            else st.just([])
        ),
        networks=draw(
            st.lists(
                st.tuples(often("GoldNet", "OtherNet"), at), min_size=1, max_size=2, unique=True
            )
        ),
        languages=draw(subset("es", "pt", "en")),
        gender=draw(st.sampled_from([None, "female", "male"])),
        competencies=draw(subset("lgbtq_affirming", "veterans")),
        treated=draw(subset("depression", "anxiety", "insomnia")),
        not_treated=draw(often(set(), {"insomnia"})),
        taxonomies=draw(subset("101YM0800X", "103TC0700X", "2084P0800X", "207R00000X")),
        age_groups=draw(often(set(), {"children"}) | subset("children", "adults", "older_adults")),
        modalities=draw(
            often({"in_person", "video"}, set()) | subset("in_person", "video", "phone")
        ),
        licenses=draw(st.dictionaries(often("MA", "NH"), often(False, True))),
        accepting=draw(st.sampled_from([True, True, False, None])),
        active=draw(st.sampled_from([True] * 7 + [False])),
        wait_days=draw(st.none() | st.integers(0, 40)),
        next_in_days=draw(st.none() | st.integers(-3, 30)),
        flags=tuple(draw(st.sampled_from([None, None, True, False])) for _ in range(5)),
        fee_min=draw(st.sampled_from([None, None, 0, 60, 80, 81, 150])),
    )


@st.composite
def directories(draw):
    places = draw(st.lists(place_specs(), min_size=draw(often(1, 0)), max_size=6))
    return places, draw(st.lists(clinician_specs(len(places)), min_size=1, max_size=10))


@st.composite
def needs_strategy(draw, limit=None):
    age = draw(st.sampled_from([None, None, 8, 30, 70]))
    specialties = draw(st.sampled_from([(), (), (), ("103T00000X",), ("2084P0800X",)]))
    return Needs(
        point=CENTER,
        state="MA",
        max_distance_miles=draw(st.sampled_from([5.0, 10.0, 25.0, 25.0])),
        plan=draw(st.sampled_from([None, GOLD])),
        concerns=tuple(sorted(draw(subset("depression", "anxiety", "insomnia")))),
        diagnoses=draw(st.sampled_from([(), (diagnose("Z59.82"),)])),
        specialties=specialties,
        specialty_codes=frozenset(expand_specialties(list(specialties))),
        age=age,
        age_groups=frozenset(age_groups_for(age)) if age is not None else frozenset(),
        languages=tuple(sorted(draw(subset("es", "pt")))),
        clinician_gender=draw(st.sampled_from([None, "female"])),
        cultural_preferences=tuple(sorted(draw(subset("lgbtq_affirming", "veterans")))),
        modality=draw(st.sampled_from(["in_person", "telehealth", "either", "either"])),
        accessibility=draw(often((), ("wheelchair",))),
        availability=tuple(sorted(draw(subset("evening", "weekend")))),
        max_wait_days=draw(st.sampled_from([None, 7])),
        payment=tuple(sorted(draw(subset("uninsured", "medicaid", "sliding_scale")))),
        max_fee=draw(st.sampled_from([None, None, 0.0, 80.0])),
        accepting_new_patients=draw(st.booleans()),
        required=frozenset(n for n in SELECTABLE if draw(st.sampled_from([False] * 5 + [True]))),
        limit=limit or draw(st.integers(1, 6)),
        offset=0 if limit else draw(st.integers(0, 3)),
    )


@pytest.fixture(params=["sql", "index", "index-kept"])
def backend(request, db):
    """A backend factory: SQL; the index built fresh; one index kept across examples."""
    if request.param == "sql":
        return lambda: EmbeddedBackend(db.session, NOW)
    if request.param == "index":
        return lambda: IndexedBackend(IndexKeeper(db.engine), db.session, NOW)
    kept = IndexKeeper(db.engine)  # every example's directory reaches it through the log
    return lambda: IndexedBackend(kept, db.session, NOW)


def _reset():
    _db.session.rollback()
    for table in reversed(_db.metadata.sorted_tables):
        _db.session.execute(table.delete())
    _db.session.commit()


def build(places, specs):
    """Insert the generated directory; the NPI of each clinician spec, in order."""
    _reset()
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_plan("Other", "Other plan", ["OtherNet"])
    rows = [
        add_location(
            p.lat,
            p.lon,
            accessibility=sorted(p.accessibility),
            evening_hours=p.evening,
            weekend_hours=p.weekend,
        )
        for p in places
    ]
    npis = []
    for serial, s in enumerate(specs, start=1):
        clinician = add_clinician(
            serial,
            locations=[(rows[i], override) for i, override in s.places],
            networks=[(net, None if at is None else rows[at]) for net, at in s.networks],
            languages=sorted(s.languages),
            licenses=[(st_, oracle.expiry(exp, NOW.date())) for st_, exp in s.licenses.items()],
            taxonomies=sorted(s.taxonomies),
            competencies=sorted(s.competencies),
            gender=s.gender,
            conditions_treated=sorted(s.treated),
            conditions_not_treated=sorted(s.not_treated),
            age_groups=sorted(s.age_groups),
            modalities=sorted(s.modalities),
            accepting_new_patients=s.accepting,
            active=s.active,
            wait_days=s.wait_days,
            next_available_on=None
            if s.next_in_days is None
            else (NOW + timedelta(days=s.next_in_days)).date(),
            **dict(zip(COST_COLUMNS, s.flags, strict=True)),
            fee_min=s.fee_min,
            fee_max=None if s.fee_min is None else s.fee_min + 40,
        )
        npis.append(clinician.npi)
    _db.session.commit()
    return npis, rows


def haversine(a: Point, lat: float, lon: float) -> float:
    """Great-circle miles on a 3958.8-mile sphere, written out here on purpose."""
    p1, p2 = math.radians(a.lat), math.radians(lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon - a.lon) / 2) ** 2
    )
    return 2 * 3958.8 * math.asin(math.sqrt(h))


@SETTINGS
@given(directories(), needs_strategy())
def test_results_are_exactly_what_the_rules_admit(db, backend, directory, needs):
    places, specs = directory
    npis, rows = build(places, specs)
    row_index = {row.id: i for i, row in enumerate(rows)}

    page = find_matches(needs, backend(), no_signals, NOW)

    expected = oracle.admitted(needs, specs, places)
    assert page.total == len(expected)
    assert len(page.results) == min(needs.limit, max(0, len(expected) - needs.offset))
    scores = [m.score for m in page.results]
    assert scores == sorted(scores, reverse=True)
    for match in page.results:
        i = npis.index(match.candidate.npi)
        spec = specs[i]
        assert i in expected  # a required need is never violated
        if match.place is None:
            assert oracle.telehealth_ok(needs, spec)
            place, accepting = None, spec.accepting
        else:
            where = row_index[match.place.id]
            assert where in oracle.admissible_places(needs, spec, places)
            place = places[where]
            override = dict(spec.places)[where]
            accepting = spec.accepting if override is None else override
            independent = haversine(needs.point, match.place.lat, match.place.lon)
            assert math.isclose(match.distance_miles, independent, rel_tol=0.005, abs_tol=1e-6)
            assert match.distance_miles <= needs.max_distance_miles
        reasons, unmet = oracle.explanation(needs, spec, place, accepting)
        got_reasons = sorted(
            ((e.code, e.value) for e in match.reasons if e.code != "distance"), key=repr
        )
        assert got_reasons == reasons
        assert sorted(((e.code, e.value) for e in match.unmet), key=repr) == unmet


@SETTINGS
@given(directories(), needs_strategy(limit=100))
def test_relaxation_counts_are_exact(db, backend, directory, needs):
    places, specs = directory
    build(places, specs)

    page = find_matches(needs, backend(), no_signals, NOW)

    total = len(oracle.admitted(needs, specs, places))
    expected = []
    for relax, value, variant in oracle.relaxation_variants(needs):
        count = len(oracle.admitted(variant, specs, places))
        if count > total or (relax == "modality" and count):
            expected.append((relax, value, count))
    assert [(r.relax, r.value, r.count) for r in page.relaxations] == expected
    assert page.relaxation_summary.startswith(f"{total} ")
