"""Roster loader: every kind of bad row gives its exact reject line; bad files are refused."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from directory.models import Clinician, Location, Network
from ingest.report import FileRefused, repairs_path
from tests.ingest.roster_files import (
    clinician,
    count,
    load,
    sample_rows,
    write_roster,
)


def one_bad_row(tmp_path: Path, column: str, value: str) -> list[dict[str, str]]:
    """The sample's first two rows with one cell changed in the second (line 3)."""
    header, rows = sample_rows()
    rows = rows[:2]
    rows[1][column] = value
    summary, rejects = load(write_roster(tmp_path / "bad.csv", header, rows), tmp_path)
    assert (summary.read, summary.rejected, summary.inserted) == (2, 1, 1)
    return rejects


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("npi", "1903141872", "NPI 1903141872 fails the check digit"),
        ("npi", "19031418", "NPI '19031418' is not 10 digits"),
        ("taxonomy_codes", "101YM0800X;999X00000X", "unknown NUCC taxonomy code 999X00000X"),
        ("concerns", "depression;sadness", "unknown concerns code(s): sadness"),
        ("languages", "pt:native;xx", "unknown ISO 639-1 language code xx"),
        (
            "competencies",
            "lgbtq_affirming:certified",
            "unknown provenance certified; use self_reported, trained, lived_experience",
        ),
        ("license_expires", "2027-02-30", "is not a calendar date"),
        ("last_verified", "10/15/2026", "must be a date written YYYY-MM-DD"),
        ("last_verified", "2099-01-01", "is in the future"),
        ("accepting_new_patients", "maybe", "must be Y or N"),
        ("credentials", "LMHC;Guru", "unknown credential 'Guru'"),
        ("gender", "unknown", "must be one of female, male, nonbinary, other (or F/M/X)"),
        ("first_name", "", "is required"),
    ],
)
def test_bad_cell_rejects_its_row_with_the_reason(db, tmp_path, column, value, reason):
    rejects = one_bad_row(tmp_path, column, value)

    assert len(rejects) == 1
    assert (rejects[0]["file"], rejects[0]["line"], rejects[0]["field"]) == ("bad.csv", "3", column)
    assert rejects[0]["reason"] == reason
    assert rejects[0]["value"] == value


def test_plan_described_two_ways_is_rejected(db, tmp_path):
    header, rows = sample_rows()
    rows = [rows[0], rows[2]]  # two HMO rows, different NPIs
    rows[1]["plan_name"] = "Example Health Gold HMO"
    _, rejects = load(write_roster(tmp_path / "plans.csv", header, rows), tmp_path)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("3", "plan_name", "differs from line 2 for plan example-hmo")
    ]


def test_coordinates_are_checked(db, tmp_path):
    header, rows = sample_rows()
    rows = [dict(rows[0], lat="95.5", lon="-71.4"), dict(rows[2], lat="42.3", lon="")]
    _, rejects = load(write_roster(tmp_path / "far.csv", header, rows), tmp_path)

    assert [(r["line"], r["field"], r["reason"], r["value"]) for r in rejects] == [
        ("2", "lat", "lat/lon out of range", "95.5,-71.4"),
        ("3", "lon", "lat and lon go together; one is missing", ""),
    ]


def test_duplicate_and_conflicting_rows_for_one_npi(db, tmp_path):
    header, rows = sample_rows()
    first, second = rows[0], rows[1]
    conflicting = dict(second, wait_days="30")
    rows = [first, dict(first), second, conflicting]
    rows[3]["address_line1"] = "1 Other St"  # a new place, so only wait_days conflicts
    _, rejects = load(write_roster(tmp_path / "dupes.csv", header, rows), tmp_path)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("3", "(row)", "duplicate of line 2: same NPI, plan and address"),
        ("5", "wait_days", "differs from line 2 for the same NPI"),
    ]
    assert clinician(db, first["npi"]).wait_days == 9


def test_non_utf8_and_truncated_last_line(db, tmp_path):
    header, rows = sample_rows()
    path = write_roster(tmp_path / "broken.csv", header, rows[:4])
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Souza", b"Souza\xe9")  # a Latin-1 byte
    lines[4] = lines[4][: len(lines[4]) // 2]  # cut mid-row, no final newline
    path.write_bytes(b"\n".join(lines[:5]))

    summary, rejects = load(path, tmp_path)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("3", "(row)", "not valid UTF-8 text"),
        ("5", "(row)", rejects[1]["reason"]),
    ]
    assert rejects[1]["reason"].startswith("truncated last line")
    assert (summary.read, summary.rejected, summary.inserted) == (4, 2, 2)


def test_missing_required_column_refuses_the_file(db, tmp_path):
    header, rows = sample_rows()
    header.remove("zip")
    for row in rows:
        del row["zip"]
    path = write_roster(tmp_path / "nozip.csv", header, rows)

    with pytest.raises(FileRefused, match="missing required column.*zip"):
        load(path, tmp_path)
    assert count(db, Clinician) == 0
    assert count(db, Network) == 0


def test_a_roster_row_with_a_zip_no_map_knows_is_kept_unplaced(db, tmp_path):
    header, rows = sample_rows()
    rows = rows[:2]
    rows[1].update({"zip": "00001", "city": "Nowhere Such Town"})

    summary, rejects = load(write_roster(tmp_path / "bad.csv", header, rows), tmp_path)

    assert rejects == [] and (summary.read, summary.rejected, summary.inserted) == (2, 0, 1)
    found = db.session.execute(
        select(Location.lat, Location.lon, Location.geo_precision).where(
            Location.postal_code == "00001"
        )
    ).all()
    assert [tuple(r) for r in found] == [(None, None, "none")]


@pytest.mark.parametrize(
    ("zip_cell", "after", "reason"),
    [
        (
            "170",
            "(not placed)",
            "ZIP is not 5 or 9 digits: location kept without a map point "
            "(telehealth searches only)",
        ),
        (
            "",
            "(not placed)",
            "ZIP is not 5 or 9 digits: location kept without a map point "
            "(telehealth searches only)",
        ),
        (
            "00001",
            "(not placed)",
            "ZIP 00001 is not a USPS ZIP: location kept without a map point "
            "(telehealth searches only)",
        ),
    ],
)
def test_a_row_whose_zip_cannot_be_used_is_kept_and_reported(db, tmp_path, zip_cell, after, reason):
    header, rows = sample_rows()
    rows = rows[:2]
    rows[1].update({"zip": zip_cell, "city": "Nowhere Such Town"})
    path = write_roster(tmp_path / "bad.csv", header, rows)

    summary, rejects = load(path, tmp_path)

    assert rejects == []
    assert (summary.read, summary.rejected, summary.inserted, summary.unplaced) == (2, 0, 1, 1)
    with repairs_path(tmp_path / "rejects-bad.csv").open(newline="", encoding="utf-8") as f:
        [note] = list(csv.DictReader(f))
    assert (note["line"], note["field"], note["before"], note["after"]) == (
        "3",
        "zip",
        zip_cell,
        after,
    )
    assert note["reason"] == reason
