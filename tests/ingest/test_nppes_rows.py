"""What an NPPES row says by itself: worked out once, in whichever process reads the file."""

import pickle
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from directory.geography import UNPLACED, GeoPrecision, Placement, Point, ZipRepair
from ingest.addresses import address_key
from ingest.nppes import load_nppes
from ingest.nppes_fields import LAST_NAME, NPI, POSTAL, REQUIRED, TAXONOMY, USED
from ingest.nppes_rows import Prepared, prepare
from ingest.nppes_scope import Scope
from ingest.reading import CsvRow, read_csv
from ingest.records import ClinicianRecord, LocationRecord, record_digest
from ingest.report import RejectReport

SAMPLE = Path(__file__).parents[1] / "data" / "nppes" / "npidata_sample_300.csv"
SOCIAL_WORKER = "1184627184"  # in scope (1041C0700X), a 9-digit ZIP without a dash


@pytest.fixture(scope="module")
def scope() -> Scope:
    return Scope()


@pytest.fixture(scope="module")
def rows() -> dict[str, CsvRow]:
    return {r.values[NPI]: r for r in read_csv(SAMPLE, REQUIRED, columns=USED) if r.values}


def _copy(row: CsvRow, **values: str) -> CsvRow:
    return CsvRow(row.line, row.values | values)


def test_an_in_scope_row_arrives_as_a_record_with_its_digest(rows, scope):
    row = _copy(rows[SOCIAL_WORKER])
    prep = prepare(row, scope)
    assert prep.record.npi == SOCIAL_WORKER
    assert prep.record.content_digest == record_digest(prep.record)
    place = prep.record.locations[0]
    assert place.address_digest == address_key(
        place.line1, place.line2, place.city, place.state, place.postal_code
    )
    # Placed where the file is read, out of the repr: the digest above does not cover it.
    assert place.placed == Placement(Point(42.276483, -71.243714), "zcta_centroid")
    assert prep.placement is None  # a ZCTA: nothing for the repairs report
    assert prep.npi_problem is None
    assert prep.slots[0] == (0, "1041C0700X")
    # What the load reads after: checks, rejects, reactivation; not the other 71 columns.
    assert sorted(row.values) == sorted(
        [NPI, LAST_NAME, "NPI Deactivation Date", "NPI Reactivation Date"]
    )


def test_a_zip_placed_by_its_city_is_noted_where_the_file_is_read(rows, scope):
    row = _copy(rows[SOCIAL_WORKER], **{POSTAL: "02999"})  # not a USPS ZIP
    prep = prepare(row, scope)
    assert prep.placement == ZipRepair(
        "02999",
        "(city centre)",
        "ZIP 02999 is not a USPS ZIP: location placed at the centre of its city",
    )
    place = prep.record.locations[0]
    assert (place.postal_code, place.city, place.state) == ("02999", "NEEDHAM", "MA")
    assert place.placed.precision == "city"
    assert place.placed.point is not None


def test_a_zip_that_lost_its_zero_is_repaired_before_the_record(rows, scope):
    row = _copy(rows[SOCIAL_WORKER], **{POSTAL: "2139"})
    prep = prepare(row, scope)
    assert (prep.repair.before, prep.repair.after) == ("2139", "02139")
    assert prep.record.locations[0].postal_code == "02139"
    assert prep.placement is None  # placed by the repaired ZIP, a ZCTA


def test_a_bad_check_digit_is_found_but_not_decided_here(rows, scope):
    prep = prepare(_copy(rows[SOCIAL_WORKER], **{NPI: "1184627185"}), scope)
    assert prep.npi_problem is not None and "check digit" in prep.npi_problem
    assert prep.record is not None  # the load rejects the row, with its line


def test_rows_with_nothing_to_prepare(rows, scope):
    row = rows[SOCIAL_WORKER]
    assert prepare(_copy(row, **{TAXONOMY[0]: "207Q00000X"}), scope) is None  # out of scope
    assert prepare(_copy(row, **{"NPI Deactivation Date": "01/02/2024"}), scope) is None
    assert prepare(CsvRow(7, row.values | {}, ("(row)", "too few fields")), scope) is None
    assert prepare(CsvRow(7, {}, skipped=40), scope) is None


def test_a_record_that_cannot_be_made_is_left_to_the_load(rows, scope, monkeypatch):
    def broken(values, slots):
        raise ValueError("no")

    monkeypatch.setattr("ingest.nppes_rows.to_record", broken)
    row = _copy(rows[SOCIAL_WORKER])
    prep = prepare(row, scope)
    assert prep.record is None
    assert len(row.values) > 7  # kept whole: the load makes the record again, and fails


def test_the_load_makes_a_record_the_reader_could_not(db, tmp_path, monkeypatch):
    def broken(values, slots):
        raise ValueError("no")

    monkeypatch.setattr("ingest.nppes_rows.to_record", broken)
    with RejectReport(tmp_path / "rejects.csv") as report:
        summary = load_nppes(SAMPLE, report, batch_size=5)
    assert (summary.inserted, summary.rejected) == (12, 0)


def test_a_row_and_what_was_prepared_cross_processes_whole():
    repair = ZipRepair("2139", "02139", "a leading zero restored")
    row = CsvRow(7, {NPI: "1234567893"}, (POSTAL, "bad"), "x", True, 4096, 3)
    note = ZipRepair("2139", "(not placed)", "kept without a map point")
    prep = Prepared(repair, [(0, "101YM0800X")], None, "check digit", note)
    placed = Placement(Point(41.787483, -71.414394), GeoPrecision.ZCTA_CENTROID)

    assert pickle.loads(pickle.dumps(row)) == row
    assert pickle.loads(pickle.dumps(prep)) == prep
    assert pickle.loads(pickle.dumps(placed)) == placed
    assert pickle.loads(pickle.dumps(UNPLACED)) == UNPLACED
    # Every field travels: one added to a class must be added to its __reduce__ too.
    assert len(row.__reduce__()[1]) == len(fields(CsvRow)) == 7
    assert len(prep.__reduce__()[1]) == len(fields(Prepared)) == 5
    assert len(placed.__reduce__()[1]) == len(fields(Placement)) == 2
    assert len(placed.point.__reduce__()[1]) == len(fields(Point)) == 2


def test_a_record_crosses_processes_with_every_field():
    place = LocationRecord(
        "1 MAIN ST", "NEEDHAM", "MA", "02494", "STE 2", 42.3, -71.2, "6175550100", "Clinic",
        "loc-1", "org-1", ["wheelchair"], [{"days": ["sat"], "opens": "09:00"}], True, "role-1",
        address_digest="a" * 64,
        placed=Placement(Point(42.276483, -71.243714), GeoPrecision.ZCTA_CENTROID),
    )  # fmt: skip
    record = ClinicianRecord(
        "1184627184", "Reed", "nppes", "ref", "Ann", "B", "Dr.", "Jr.", "female", "she/her",
        ["LICSW"], [("1041C0700X", True)], [("MA", "LICSW", "103439", None)], [("es", None)],
        [("lgbtq", "self")], ["depression"], ["psychosis"], ["cbt"], ["adults"], ["telehealth"],
        True, date(2027, 1, 4), 7, 3, [place], [("tufts", 0)], datetime(2026, 12, 1, tzinfo=UTC),
        None, content_digest="d" * 64,
    )  # fmt: skip

    back = pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))

    assert back == record
    # Out of the comparison, so checked one by one: worked out once, never lost on the way.
    assert back.content_digest == "d" * 64
    assert back.locations[0].address_digest == "a" * 64
    assert back.locations[0].placed == place.placed
    assert len(record.__reduce__()[1]) == len(fields(ClinicianRecord)) == 29
    assert len(place.__reduce__()[1]) == len(fields(LocationRecord)) == 17
