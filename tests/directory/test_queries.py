"""Clinician search selects: each clause, the acceptance rule in SQL and Python, eager loading."""

import itertools
from datetime import date

import pytest
from sqlalchemy import event

from api.clinician_schemas import ClinicianSummarySchema
from directory.acceptance import accepts_new_patients
from directory.models import (
    Clinician,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
)
from directory.npi import npi_check_digit
from directory.queries import (
    CLAUSE_BUILDERS,
    ClinicianFilter,
    count_query,
    filter_clauses,
    page_query,
)

_serials = itertools.count(1)


def clinician(last: str, first: str | None = "Pat", **kwargs) -> Clinician:
    """A clinician with a fresh valid NPI."""
    first_nine = f"1{next(_serials):08d}"
    npi = first_nine + str(npi_check_digit(first_nine))
    return Clinician(npi=npi, first_name=first, last_name=last, **kwargs)


def found(db, **criteria) -> list[str]:
    """Last names matching the criteria, in result order."""
    rows = db.session.scalars(page_query(ClinicianFilter(**criteria))).all()
    return [c.last_name for c in rows]


def test_an_empty_filter_only_keeps_active_clinicians(db):
    empty = ClinicianFilter()
    assert all(build(empty) is None for build in CLAUSE_BUILDERS)
    assert len(filter_clauses(empty)) == 1
    db.session.add_all([clinician("Kept"), clinician("Gone", active=False)])
    db.session.commit()
    assert found(db) == ["Kept"]
    assert db.session.scalar(count_query(empty)) == 1


def test_classification_code_includes_its_specializations(db):
    db.session.add_all(
        [
            clinician("Clinical", taxonomies=[ClinicianTaxonomy(code="103TC0700X")]),
            clinician("General", taxonomies=[ClinicianTaxonomy(code="103T00000X")]),
            clinician("Worker", taxonomies=[ClinicianTaxonomy(code="1041C0700X")]),
        ]
    )
    db.session.commit()
    assert found(db, taxonomy="103T00000X") == ["Clinical", "General"]
    # A specialization does not widen to its classification.
    assert found(db, taxonomy="103TC0700X") == ["Clinical"]


def test_name_words_match_either_name_and_wildcards_are_literal(db):
    db.session.add_all(
        [
            clinician("O'Brien-Smith", "Mary Kate"),
            clinician("Smith", "Kate"),
            clinician("100%_Real", "Odd"),
        ]
    )
    db.session.commit()
    assert found(db, name="kate smith") == ["O'Brien-Smith", "Smith"]
    assert found(db, name="o'brien") == ["O'Brien-Smith"]
    assert found(db, name="mary smith") == ["O'Brien-Smith"]
    assert found(db, name="%") == ["100%_Real"]
    assert found(db, name="h_") == []


def test_plan_networks_and_language(db):
    net = Network(id="NetA", name="Net A")
    other = Network(id="NetB", name="Net B")
    plan = Network(id="PlanP", name="Plan P", kind="plan", networks=[net])
    in_net = clinician("InNet", participations=[NetworkParticipation(network=net)])
    in_plan = clinician("InPlan", participations=[NetworkParticipation(network=plan)])
    in_other = clinician("InOther", participations=[NetworkParticipation(network=other)])
    in_net.languages = [ClinicianLanguage(code="es")]
    db.session.add_all([in_net, in_plan, in_other])
    db.session.commit()
    assert found(db, networks=frozenset(plan.network_ids())) == ["InNet", "InPlan"]
    assert found(db, networks=frozenset(plan.network_ids()), language="es") == ["InNet"]
    assert found(db, networks=frozenset()) == []


def test_state_by_location_or_current_license(db):
    place = Location(city="Boston", state="MA")
    license_ = License(state="MA", number="1", expires_on=date(2025, 6, 30))
    db.session.add_all(
        [
            clinician("Located", locations=[ClinicianLocation(location=place)]),
            clinician("Licensed", licenses=[license_]),
            clinician("Elsewhere", licenses=[License(state="NH", number="2")]),
        ]
    )
    db.session.commit()
    assert found(db, state="MA", licensed_on=date(2025, 6, 30)) == ["Licensed", "Located"]
    assert found(db, state="MA", licensed_on=date(2025, 7, 1)) == ["Located"]
    assert found(db, state="NH") == ["Elsewhere"]


OVERRIDES = ([], [None], [False], [True], [False, None], [False, True], [None, True])


def test_acceptance_filter_agrees_with_the_python_rule(db):
    place = Location(city="Boston", state="MA")
    db.session.add(place)
    cases = []
    for flag, overrides in itertools.product((True, False, None), OVERRIDES):
        row = clinician(f"C{len(cases):02d}", accepting_new_patients=flag)
        for i, override in enumerate(overrides):
            spot = place if i == 0 else Location(city="Salem", state="MA")
            row.locations.append(ClinicianLocation(location=spot, accepting_new_patients=override))
        cases.append(row)
    db.session.add_all(cases)
    db.session.commit()
    expected = {c.last_name: accepts_new_patients(c) for c in cases}
    assert found(db, accepting_new_patients=True) == [k for k, v in expected.items() if v is True]
    assert found(db, accepting_new_patients=False) == [k for k, v in expected.items() if v is False]
    # Spot-check the rule itself: an override wins, unknown is neither yes nor no.
    assert expected["C02"] is False  # accepting, but its only location says no
    assert expected["C14"] is None  # no flag, no locations
    assert expected["C10"] is True  # not accepting, but its location says yes
    assert expected["C15"] is None  # no flag and its location does not say


def test_count_ignores_paging_and_pages_follow_the_order(db):
    db.session.add_all([clinician(f"Name{i:02d}", "Same") for i in range(7)])
    db.session.commit()
    criteria = ClinicianFilter(name="same", limit=3, offset=3)
    assert db.session.scalar(count_query(criteria)) == 7
    assert found(db, name="same", limit=3, offset=3) == ["Name03", "Name04", "Name05"]
    assert found(db, name="same", limit=3, offset=6) == ["Name06"]


def _statements(db, run) -> int:
    """How many SQL statements `run()` executes."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("limit", [2, 12])
def test_a_page_loads_in_a_fixed_number_of_statements(db, limit):
    net = Network(id="NetA", name="Net A")
    for i in range(12):
        place = Location(city="Boston", state="MA", postal_code=f"021{i:02d}")
        row = clinician(f"Many{i:02d}", credentials=["LMHC"])
        row.taxonomies = [ClinicianTaxonomy(code="101YM0800X", is_primary=True)]
        row.languages = [ClinicianLanguage(code="en")]
        row.locations = [ClinicianLocation(location=place)]
        row.participations = [NetworkParticipation(network=net)]
        db.session.add(row)
    db.session.commit()
    db.session.expunge_all()
    schema = ClinicianSummarySchema(stale_after_days=90, many=True)

    def run():
        page = db.session.scalars(page_query(ClinicianFilter(limit=limit))).all()
        assert len(schema.dump(page)) == limit

    # The page, then one selectin per child collection, whatever the page size.
    assert _statements(db, run) == 6
