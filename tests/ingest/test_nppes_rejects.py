"""NPPES loading from deliberately broken copies of the real sample: exact rejects, no loss."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.models import Clinician, IngestFingerprint, Location
from ingest.nppes import load_nppes
from ingest.report import FileRefused, RejectReport, read_rejects

SAMPLE = Path(__file__).parents[1] / "data" / "nppes" / "npidata_sample_300.csv"
TAXONOMY_2 = "Healthcare Provider Taxonomy Code_2"
POSTAL = "Provider Business Practice Location Address Postal Code"
IN_SCOPE = 12  # see test_nppes.py


def sample_rows() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def encode(rows: list[list[str]]) -> bytes:
    """Rows as NPPES writes them: every field quoted, CRLF line ends."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def edited(changes: dict[str, dict[str, str]]) -> list[list[str]]:
    """The sample with columns changed in the rows whose NPI is a key of `changes`."""
    rows = sample_rows()
    header = rows[0]
    for row in rows[1:]:
        for column, value in changes.get(row[0], {}).items():
            row[header.index(column)] = value
    return rows


def load(tmp_path: Path, content: bytes, name: str = "npidata_broken.csv"):
    """Write `content`, load it in batches of 5, return the summary and reject rows."""
    path = tmp_path / name
    path.write_bytes(content)
    rejects = tmp_path / "rejects.csv"
    with RejectReport(rejects) as report:
        summary = load_nppes(path, report, batch_size=5)
    return summary, (read_rejects(rejects) if rejects.exists() else [])


def reject(line: int, field: str, value: str, reason: str) -> dict[str, str]:
    return {
        "file": "npidata_broken.csv",
        "line": str(line),
        "field": field,
        "value": value,
        "reason": reason,
    }


def loaded(db) -> set[str]:
    return set(db.session.scalars(select(Clinician.npi)))


def test_wrong_check_digit(db, tmp_path):
    rows = edited({"1184627184": {"NPI": "1184627185"}})

    summary, rejects = load(tmp_path, encode(rows))

    assert rejects == [reject(20, "NPI", "1184627185", "NPI 1184627185 fails the check digit")]
    assert (summary.read, summary.inserted, summary.rejected) == (300, IN_SCOPE - 1, 1)
    assert len(loaded(db)) == IN_SCOPE - 1 and "1184627184" not in loaded(db)


def test_unknown_taxonomy_codes(db, tmp_path):
    rows = edited(
        {
            # An unknown code beside a behavioral-health one.
            "1902809676": {TAXONOMY_2: "1041Z9999X"},
            # A typo in the only code, still in a behavioral-health class (103T).
            "1750384467": {"Healthcare Provider Taxonomy Code_1": "103TQ0000X"},
            # An unknown code on a cardiologist: not ours, so skipped, not reported.
            "1255334207": {TAXONOMY_2: "207RZ9999X"},
        }
    )

    summary, rejects = load(tmp_path, encode(rows))

    assert rejects == [
        reject(82, TAXONOMY_2, "1041Z9999X", "unknown NUCC taxonomy code 1041Z9999X"),
        reject(
            163,
            "Healthcare Provider Taxonomy Code_1",
            "103TQ0000X",
            "unknown NUCC taxonomy code 103TQ0000X",
        ),
    ]
    assert (summary.inserted, summary.out_of_scope, summary.rejected) == (IN_SCOPE - 2, 288, 2)


def test_bad_zip_codes_keep_the_clinician(db, tmp_path):
    rows = edited({"1184627184": {POSTAL: "0249244"}, "1528062858": {POSTAL: "00000"}})

    summary, rejects = load(tmp_path, encode(rows))

    assert rejects == []
    assert (summary.inserted, summary.rejected, summary.unplaced) == (IN_SCOPE, 0, 0)
    cities = dict(db.session.execute(select(Location.city, Location.geo_precision)).all())
    assert cities["NEEDHAM"] == "city" and cities["DARTMOUTH"] == "city"


def test_duplicate_npi_second_occurrence_rejected(db, tmp_path):
    rows = sample_rows()
    first = next(r for r in rows if r[0] == "1902809676")
    cardiologist = next(r for r in rows if r[0] == "1255334207")
    rows += [[*first[:6], "OTHER", *first[7:]], cardiologist]

    summary, rejects = load(tmp_path, encode(rows))

    reason = "duplicate NPI 1902809676: an earlier row in this file has it"
    assert rejects == [reject(302, "NPI", "1902809676", reason)]
    assert (summary.read, summary.inserted, summary.out_of_scope) == (302, IN_SCOPE, 289)
    brady = db.session.scalars(select(Clinician).where(Clinician.npi == "1902809676")).one()
    assert brady.first_name == "Moira"


def test_non_utf8_bytes(db, tmp_path):
    content = encode(sample_rows())
    # Latin-1 bytes in an in-scope clinician (line 82) and in the cardiologist (line 2).
    content = content.replace(b'"BRADY"', b'"BR\xc1DY"').replace(b'"SOUCIER"', b'"SOUCI\xc9R"')

    summary, rejects = load(tmp_path, content)

    assert rejects == [reject(82, "(row)", "1902809676", "not valid UTF-8 text")]
    assert (summary.read, summary.inserted, summary.out_of_scope) == (300, IN_SCOPE - 1, 288)
    assert "1902809676" not in loaded(db) and "1912909110" in loaded(db)


def test_truncated_last_line(db, tmp_path):
    rows = sample_rows()
    # Move an in-scope clinician to the end, then cut the file inside one of its fields.
    last = rows.pop(next(i for i, r in enumerate(rows) if r[0] == "1912909110"))
    content = encode([*rows, last])
    cut = content.rindex(b"SIMSBURY") + 4

    summary, rejects = load(tmp_path, content[:cut])

    reason = "truncated last line: unterminated quoted field"
    assert rejects == [reject(301, "(row)", "1912909110", reason)]
    assert (summary.read, summary.inserted, summary.rejected) == (300, IN_SCOPE - 1, 1)
    assert "1912909110" not in loaded(db) and "1942203690" in loaded(db)


def test_newer_layout_with_certification_date_column(db, tmp_path):
    rows = sample_rows()
    position = rows[0].index("Last Update Date") + 1
    for i, row in enumerate(rows):
        row.insert(position, "Certification Date" if i == 0 else "02/01/2024")

    summary, rejects = load(tmp_path, encode(rows))

    assert rejects == []
    assert (summary.read, summary.inserted, summary.out_of_scope) == (300, IN_SCOPE, 288)
    reed = db.session.scalars(select(Clinician).where(Clinician.npi == "1184627184")).one()
    assert (reed.last_name, reed.licenses[0].number) == ("Reed", "1020965")


def test_missing_required_column_refuses_the_file(db, tmp_path):
    rows = sample_rows()
    position = rows[0].index(POSTAL)
    for row in rows:
        del row[position]

    with pytest.raises(FileRefused, match=f"missing required column.*{POSTAL}.*nothing"):
        load(tmp_path, encode(rows))

    for model in (Clinician, Location, IngestFingerprint):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert not (tmp_path / "rejects.csv").exists()


def test_cli_reports_rejects_and_refusals(runner, db, tmp_path):
    broken = tmp_path / "npidata_broken.csv"
    broken.write_bytes(encode(edited({"1184627184": {"NPI": "1184627185"}})))
    rejects = tmp_path / "rejects.csv"

    result = runner.invoke(args=["ingest", "nppes", str(broken), "--rejects", str(rejects)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "read 300 · inserted 11 · updated 0 · unchanged 0 · out of scope 288 · rejected 1",
        f"1 rejected row(s) written to {rejects}",
    ]
    headerless = tmp_path / "npidata_no_npi.csv"
    headerless.write_bytes(encode([row[1:] for row in sample_rows()]))

    refused = runner.invoke(args=["ingest", "nppes", str(headerless), "--rejects", str(rejects)])

    assert refused.exit_code != 0
    assert "npidata_no_npi.csv: missing required column(s): NPI; nothing was loaded" in (
        refused.output
    )
