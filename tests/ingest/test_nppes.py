"""NPPES loading from the real 300-row sample: scope, field mapping, idempotency, the CLI."""

import csv
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from directory.models import Clinician, IngestFingerprint, Location
from directory.models.verification import as_utc
from ingest.nppes import load_nppes
from ingest.report import RejectReport

NPPES = Path(__file__).parents[1] / "data" / "nppes"
SAMPLE = NPPES / "npidata_sample_300.csv"
ORGANIZATIONS = NPPES / "npidata_organizations_40.csv"
# Type-1 rows with a behavioral-health taxonomy: 4 social workers (1041C0700X), 3 psychologists
# (103T*), 4 psychiatrists (2084P0800X/2084P0805X) and 1 sleep-medicine DO (2084S0012X).
IN_SCOPE = {
    "1184627184",
    "1336142504",
    "1528062858",
    "1700889482",
    "1710980214",
    "1740282094",
    "1750384467",
    "1871596445",
    "1902809676",
    "1912900424",
    "1912909110",
    "1942203690",
}


def load(path: Path, tmp_path: Path, batch_size: int = 5):
    """Load with a small batch so several transactions run."""
    with RejectReport(tmp_path / "rejects.csv") as report:
        return load_nppes(path, report, batch_size=batch_size)


def clinician(db, npi: str) -> Clinician:
    return db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()


def loaded_npis(db) -> set[str]:
    return set(db.session.scalars(select(Clinician.npi)))


def test_sample_counts_and_scope(db, tmp_path):
    summary = load(SAMPLE, tmp_path)

    assert summary.as_dict() == {
        "read": 300,
        "inserted": 12,
        "updated": 0,
        "unchanged": 0,
        "out_of_scope": 288,
        "rejected": 0,
        "repaired": 0,
        "unplaced": 0,
    }
    assert loaded_npis(db) == IN_SCOPE
    assert "1255334207" not in loaded_npis(db)  # cardiologist 207RC0000X
    assert not (tmp_path / "rejects.csv").exists()


def test_social_worker_fields(db, tmp_path):
    load(SAMPLE, tmp_path)

    reed = clinician(db, "1184627184")
    assert (reed.name_prefix, reed.first_name, reed.middle_name, reed.last_name) == (
        "Ms.",
        "Jessica",
        "A",
        "Reed",
    )
    assert (reed.gender, reed.credentials, reed.source) == ("female", ["LICSW"], "nppes")
    assert [(t.code, t.is_primary) for t in reed.taxonomies] == [("1041C0700X", True)]
    assert [(lic.state, lic.license_type, lic.number) for lic in reed.licenses] == [
        ("MA", "LICSW", "1020965")
    ]
    (link,) = reed.locations
    place = link.location
    assert (place.line1, place.city, place.state, place.postal_code) == (
        "8 OLD GREENDALE AVE",
        "NEEDHAM",
        "MA",
        "02492",
    )
    assert (round(place.lat, 3), round(place.lon, 3)) == (42.276, -71.244)
    assert link.phone == "5089302342"
    assert as_utc(reed.verified_at) == datetime(2007, 7, 8, tzinfo=UTC)
    assert reed.verified_source == "nppes"


def test_psychologist_and_multi_state_psychiatrist(db, tmp_path):
    load(SAMPLE, tmp_path)

    brady = clinician(db, "1902809676")
    assert (brady.credentials, brady.primary_taxonomy) == (["PsyD"], "103TC0700X")
    # A doctorate is not a license type, so the psychology license stays untyped.
    assert [(lic.state, lic.license_type, lic.number) for lic in brady.licenses] == [
        ("MA", None, "6538")
    ]
    rosenzweig = clinician(db, "1942203690")
    # Five slots repeat 2084P0805X, one per licensing state.
    assert [(t.code, t.is_primary) for t in rosenzweig.taxonomies] == [("2084P0805X", True)]
    assert sorted((lic.state, lic.license_type) for lic in rosenzweig.licenses) == [
        ("CT", "MD"),
        ("MA", "MD"),
        ("NJ", "MD"),
        ("PA", "MD"),
        ("RI", "MD"),
    ]
    assert clinician(db, "1700889482").credentials == ["LICSW", "CEAP", "BCD"]


def test_shared_practice_address_is_one_location(db, tmp_path):
    load(SAMPLE, tmp_path)

    # Every clinician has one practice address; none of the twelve share one.
    assert db.session.scalar(select(func.count(Location.id))) == 12
    assert {len(clinician(db, npi).locations) for npi in IN_SCOPE} == {1}


def test_reload_is_idempotent(db, tmp_path):
    load(SAMPLE, tmp_path)
    stamps = dict(db.session.execute(select(Clinician.npi, Clinician.updated_at)).all())

    summary = load(SAMPLE, tmp_path, batch_size=1000)

    assert (summary.read, summary.inserted, summary.updated, summary.unchanged) == (300, 0, 0, 12)
    assert dict(db.session.execute(select(Clinician.npi, Clinician.updated_at)).all()) == stamps
    assert db.session.scalar(select(func.count()).select_from(IngestFingerprint)) == 12


def rewrite(source: Path, target: Path, changes: dict[str, dict[str, str]]) -> Path:
    """Copy an NPPES file, changing columns of the rows whose NPI is a key of `changes`."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row in rows[1:]:
        for column, value in changes.get(row[0], {}).items():
            row[header.index(column)] = value
    with target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return target


def test_changed_row_updates_only_that_clinician(db, tmp_path):
    load(SAMPLE, tmp_path)
    changed = rewrite(
        SAMPLE,
        tmp_path / "npidata_changed.csv",
        {"1902809676": {"Provider First Name": "MOYRA", "Last Update Date": "01/15/2019"}},
    )

    summary = load(changed, tmp_path)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 11)
    brady = clinician(db, "1902809676")
    assert brady.first_name == "Moyra"
    assert as_utc(brady.verified_at) == datetime(2019, 1, 15, tzinfo=UTC)
    assert len(brady.locations) == 1 and len(brady.licenses) == 1


def test_organizations_file_is_out_of_scope(db, tmp_path):
    summary = load(ORGANIZATIONS, tmp_path)

    assert (summary.read, summary.out_of_scope, summary.inserted, summary.rejected) == (
        40,
        40,
        0,
        0,
    )
    assert loaded_npis(db) == set()


def test_cli_prints_the_summary(runner, db, tmp_path):
    rejects = tmp_path / "rejects.csv"

    result = runner.invoke(args=["ingest", "nppes", str(SAMPLE), "--rejects", str(rejects)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "read 300 · inserted 12 · updated 0 · unchanged 0 · out of scope 288 · rejected 0"
    ]
    assert loaded_npis(db) == IN_SCOPE


def test_minimally_quoted_copy_gives_the_same_clinicians(db, tmp_path):
    # The unparsed-line shortcut relies on '","' between fields; without it rows are parsed.
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    plain = tmp_path / "npidata_plain.csv"
    with plain.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_MINIMAL).writerows(rows)

    summary = load(plain, tmp_path)

    assert (summary.read, summary.inserted, summary.out_of_scope) == (300, 12, 288)
    assert loaded_npis(db) == IN_SCOPE
