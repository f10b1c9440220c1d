"""ZIPs a spreadsheet mangled: repaired when the result is a real ZIP, and every repair reported."""

from sqlalchemy import select

from directory.models import Location
from ingest.report import read_rejects
from tests.ingest import roster_files as roster
from tests.ingest import test_nppes_rejects as nppes

POSTAL = "Provider Business Practice Location Address Postal Code"
PADDED = "the leading zero(s) a spreadsheet drops restored"


def _repairs(tmp_path, name: str = "rejects") -> list[dict]:
    path = tmp_path / f"{name}-repairs.csv"
    return read_rejects(path) if path.exists() else []


def test_nppes_zips_without_their_leading_zero_are_repaired_and_reported(db, tmp_path):
    rows = nppes.edited(
        {
            "1184627184": {POSTAL: "24924424"},  # 02492-4424 as a spreadsheet keeps it
            "1902809676": {POSTAL: "1038"},  # 01038
            "1528062858": {POSTAL: "027471242"},  # NPPES writes ZIP+4 without a dash: as is
        }
    )

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    assert rejects == []
    assert _repairs(tmp_path) == [
        {
            "file": "npidata_broken.csv",
            "line": "20",
            "field": POSTAL,
            "before": "24924424",
            "after": "02492-4424",
            "reason": f"8 digits: {PADDED}",
        },
        {
            "file": "npidata_broken.csv",
            "line": "82",
            "field": POSTAL,
            "before": "1038",
            "after": "01038",
            "reason": f"4 digits: {PADDED}",
        },
    ]
    assert (summary.inserted, summary.rejected, summary.repaired) == (12, 0, 2)
    assert "repaired 2" in summary.line()
    postal = set(db.session.scalars(select(Location.postal_code)))
    assert {"02492", "01038", "02747"} <= postal


def test_an_nppes_zip_that_pads_to_no_known_zip_is_kept_at_its_city(db, tmp_path):
    rows = nppes.edited({"1184627184": {POSTAL: "9999"}})  # 09999: no such ZIP

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    assert rejects == []
    assert _repairs(tmp_path) == [
        {
            "file": "npidata_broken.csv",
            "line": "20",
            "field": POSTAL,
            "before": "9999",
            "after": "(city centre)",
            "reason": "ZIP is not 5 or 9 digits: location placed at the centre of its city",
        }
    ]
    assert (summary.inserted, summary.repaired, summary.unplaced) == (12, 0, 0)


def test_a_rejected_row_reports_no_repair(db, tmp_path):
    rows = nppes.edited({"1184627184": {POSTAL: "2492", "NPI": "1184627185"}})

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    assert [r["field"] for r in rejects] == ["NPI"]
    assert _repairs(tmp_path) == [] and summary.repaired == 0


def test_roster_zips_are_repaired_and_reported_with_their_lines(db, tmp_path):
    header, rows = roster.sample_rows()
    edits = {14: "2122", 17: "24581234", 18: "021261234"}  # line -> the zip a spreadsheet left
    for line, value in edits.items():
        rows[line - 2]["zip"] = value
    path = roster.write_roster(tmp_path / "mangled.csv", header, rows)

    summary, rejects = roster.load(path, tmp_path)

    assert rejects == []
    assert [
        (r["line"], r["field"], r["before"], r["after"], r["reason"])
        for r in _repairs(tmp_path, "rejects-mangled")
    ] == [
        ("14", "zip", "2122", "02122", f"4 digits: {PADDED}"),
        ("17", "zip", "24581234", "02458-1234", f"8 digits: {PADDED}"),
        ("18", "zip", "021261234", "02126-1234", "9 digits without a dash: read as ZIP+4"),
    ]
    assert (summary.read, summary.inserted, summary.rejected, summary.repaired) == (41, 25, 0, 3)


def test_a_repaired_roster_loads_what_the_clean_one_does(db, tmp_path):
    roster.load(roster.SAMPLE, tmp_path)
    header, rows = roster.sample_rows()
    for row in rows:
        if row["zip"].startswith("0"):
            row["zip"] = row["zip"].lstrip("0")
    path = roster.write_roster(tmp_path / "stripped.csv", header, rows)

    summary, rejects = roster.load(path, tmp_path)

    assert rejects == []
    assert (summary.unchanged, summary.updated, summary.inserted) == (25, 0, 0)
    assert summary.repaired == 40  # every row but the one out of scope (never saved)
