"""Loaders record what each file states as observations, by the file's source."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from directory.facts import clinician as subject
from directory.facts import current, history
from directory.models import FactObservation
from ingest.record_facts import fact_source, stated
from ingest.records import ClinicianRecord, LocationRecord
from tests.ingest import roster_files
from tests.ingest.test_nppes import SAMPLE as NPPES_SAMPLE
from tests.ingest.test_nppes import clinician
from tests.ingest.test_nppes import load as load_nppes

QUINCY = LocationRecord("1 Main St", "Quincy", "MA", "02169", phone="6175550100")


def test_sources_map_to_fact_sources():
    assert fact_source("nppes") == ("nppes", None)
    assert fact_source("plan-net") == ("plan-net", None)
    assert fact_source("cms-dac") == ("cms-dac", None)
    assert fact_source("roster:example-hmo") == ("roster", "example-hmo")
    assert fact_source("demo") is None


def test_a_record_states_only_what_it_says():
    record = ClinicianRecord(
        "1234567893",
        "Lee",
        "roster:acme",
        accepting_new_patients=False,
        languages=[("es", None), ("en", "native")],
        modalities=["in_person", "video"],
        locations=[QUINCY],
        networks=[("acme-net", 0), ("acme-net", None), ("acme-hmo", None)],
    )

    assert list(stated(record)) == [
        ("accepting_new_patients", False, None),
        ("languages", ["en", "es"], None),
        ("telehealth", True, None),
        (
            "location",
            [{"line1": "1 Main St", "city": "Quincy", "state": "MA", "postal_code": "02169"}],
            None,
        ),
        ("phone", ["6175550100"], None),
        ("network_participation", True, "acme-hmo"),
        ("network_participation", True, "acme-net"),
    ]
    assert list(stated(ClinicianRecord("1234567893", "Lee", "nppes"))) == []


def test_nppes_load_records_addresses_and_phones_once(db, tmp_path):
    load_nppes(NPPES_SAMPLE, tmp_path)
    first = db.session.scalar(select(func.count(FactObservation.id)))
    load_nppes(NPPES_SAMPLE, tmp_path)  # unchanged rows state nothing new

    assert db.session.scalar(select(func.count(FactObservation.id))) == first
    kinds = {(o.kind, o.source) for o in history(subject(clinician(db, "1184627184").id))}
    assert ("location", "nppes") in kinds


def test_roster_load_records_participation_and_accepting(db, tmp_path):
    roster_files.load(roster_files.SAMPLE, tmp_path)
    chen = roster_files.clinician(db, roster_files.WEI_CHEN)

    # The sample says it was verified on 2026-10-01: 64 days on, every fact has full weight.
    findings = current(subject(chen.id), datetime(2026, 12, 4, 15, 0, tzinfo=UTC))

    networks = {f.network_id for f in findings if f.kind == "network_participation"}
    assert {f.winner.source for f in findings} == {"roster"}
    assert {p.network_id for p in chen.participations} <= networks
    assert all(f.confidence == 0.8 for f in findings)
