"""NPPES deactivations: the monthly report and the full/weekly files' dates, through search."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.models import Clinician, Organization
from ingest.kinds import load_file
from ingest.nppes import load_nppes
from ingest.nppes_deactivations import load_nppes_deactivations
from ingest.report import FileRefused, RejectReport, read_rejects
from referrals.models import Referral
from tests.ingest import test_nppes_rejects as nppes
from tests.ingest.test_nppes import SAMPLE

PSYCHIATRIST = "1740282094"  # Cambridge 02139, beside a social worker at the same ZIP
SOCIAL_WORKER = "1700889482"
NOT_HELD = "1508870460"  # a valid NPI this directory does not hold
DEACTIVATED = "NPI Deactivation Date"
REACTIVATED = "NPI Reactivation Date"


@pytest.fixture
def held(db, tmp_path):
    """The NPPES sample loaded as the monthly baseline."""
    with RejectReport(tmp_path / "baseline-rejects.csv") as report:
        load_nppes(SAMPLE, report, batch_size=5)


def write_report(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(["NPI", "NPPES Deactivation Date"])
        writer.writerows(rows)
    return path


def apply_report(tmp_path: Path, rows: list[tuple[str, str]], name: str = "deact.csv"):
    rejects = tmp_path / f"rejects-{name}"
    with RejectReport(rejects) as report:
        summary = load_nppes_deactivations(write_report(tmp_path / name, rows), report, 3)
    return summary, (read_rejects(rejects) if rejects.exists() else [])


def matched_npis(client) -> set[str]:
    body = json.dumps({"postal_code": "02139"})
    response = client.post("/api/v1/matches", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_json()
    return {result["npi"] for result in response.get_json()["results"]}


def state(db, npi: str) -> tuple:
    c = db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()
    db.session.refresh(c)
    return c.active, c.deactivated_on, c.reactivated_on


def test_deactivated_npi_leaves_search_at_once_and_is_kept(client, db, held, tmp_path):
    assert {PSYCHIATRIST, SOCIAL_WORKER} <= matched_npis(client)

    summary, rejects = apply_report(tmp_path, [(PSYCHIATRIST, "06/15/2026"), (NOT_HELD, "1/2/20")])

    assert rejects[0]["reason"] == "is not a date (MM/DD/YYYY)"
    summary, rejects = apply_report(
        tmp_path, [(PSYCHIATRIST, "06/15/2026"), (NOT_HELD, "01/02/2020")], "deact2.csv"
    )
    assert rejects == []
    assert (summary.read, summary.updated, summary.unchanged, summary.out_of_scope) == (2, 0, 1, 1)
    found = matched_npis(client)
    assert SOCIAL_WORKER in found and PSYCHIATRIST not in found
    assert state(db, PSYCHIATRIST) == (False, date(2026, 6, 15), None)


def test_referrals_to_a_deactivated_clinician_are_kept(db, held, tmp_path):
    psychiatrist = db.session.scalars(select(Clinician).where(Clinician.npi == PSYCHIATRIST)).one()
    clinic = Organization(name="Referring Clinic")
    db.session.add(clinic)
    db.session.flush()
    db.session.add(
        Referral(
            clinician_id=psychiatrist.id,
            referring_organization_id=clinic.id,
            created_by="test",
            patient_name="Pat Example",
            patient_birth_date=date(1990, 1, 1),
            reason="follow-up",
        )
    )
    db.session.commit()

    apply_report(tmp_path, [(PSYCHIATRIST, "06/15/2026")])

    referral = db.session.scalars(select(Referral)).one()
    assert referral.clinician.npi == PSYCHIATRIST
    assert referral.clinician.active is False


def test_absent_from_the_next_full_list_comes_back(client, db, held, tmp_path):
    apply_report(tmp_path, [(PSYCHIATRIST, "06/15/2026"), (NOT_HELD, "01/02/2020")])

    summary, _ = apply_report(tmp_path, [(NOT_HELD, "01/02/2020")], "next.csv")

    assert summary.updated == 1
    assert state(db, PSYCHIATRIST) == (True, date(2026, 6, 15), None)
    assert PSYCHIATRIST in matched_npis(client)


def test_a_rejected_row_brings_no_one_back(db, held, tmp_path):
    apply_report(tmp_path, [(PSYCHIATRIST, "06/15/2026")])

    summary, rejects = apply_report(tmp_path, [(NOT_HELD, "01/02/2020"), ("17402820", "x")], "b")

    assert (summary.updated, summary.rejected) == (0, 1)
    assert rejects[0]["reason"] == "NPI '17402820' is not 10 digits"
    assert state(db, PSYCHIATRIST)[0] is False


def test_bad_rows_give_their_reasons(db, held, tmp_path):
    rows = [
        (PSYCHIATRIST, "2026-06-15"),  # a spreadsheet's export: read as the same date
        ("1740282095", "06/15/2026"),
        (NOT_HELD, "12/31/2999"),
        (PSYCHIATRIST, "06/16/2026"),
    ]
    summary, rejects = apply_report(tmp_path, rows)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("3", "NPI", "NPI 1740282095 fails the check digit"),
        ("4", "NPPES Deactivation Date", "is in the future"),
        ("5", "NPI", "duplicate NPI 1740282094: an earlier row in this file has it"),
    ]
    assert state(db, PSYCHIATRIST) == (False, date(2026, 6, 15), None)


def test_a_report_with_no_rows_is_refused(db, held, tmp_path):
    with pytest.raises(FileRefused, match="the report lists no NPI; nothing was loaded"):
        apply_report(tmp_path, [])


def test_a_report_given_as_a_roster_is_refused_naming_it(db, tmp_path):
    path = write_report(tmp_path / "deact.csv", [(PSYCHIATRIST, "06/15/2026")])

    with pytest.raises(FileRefused) as refused:
        load_file("roster", path, tmp_path / "rejects.csv")

    assert str(refused.value) == (
        "deact.csv: this looks like an NPPES deactivation report, not a plan roster file; "
        "nothing was loaded"
    )


def load_edited(tmp_path: Path, changes: dict, name: str, incremental: bool = True):
    path = tmp_path / name
    path.write_bytes(nppes.encode(nppes.edited(changes)))
    with RejectReport(tmp_path / f"rejects-{name}") as report:
        return load_nppes(path, report, batch_size=5, incremental=incremental)


def _only_npi_and_date(day: str) -> dict[str, str]:
    """A deactivated NPI's row as NPPES writes it: every other field empty."""
    header = nppes.sample_rows()[0]
    return {column: "" for column in header if column != "NPI"} | {DEACTIVATED: day}


def test_nppes_row_with_only_a_deactivation_date_deactivates(client, db, held, tmp_path):
    summary = load_edited(tmp_path, {PSYCHIATRIST: _only_npi_and_date("05/01/2026")}, "w1.csv")

    assert (summary.updated, summary.unchanged, summary.rejected) == (1, 11, 0)
    assert state(db, PSYCHIATRIST) == (False, date(2026, 5, 1), None)
    assert PSYCHIATRIST not in matched_npis(client)
    assert db.session.scalar(select(func.count()).select_from(Clinician)) == 12


def test_reactivation_date_after_the_deactivation_brings_back(client, db, held, tmp_path):
    load_edited(tmp_path, {PSYCHIATRIST: _only_npi_and_date("05/01/2026")}, "w1.csv")

    load_edited(tmp_path, {}, "w2.csv")  # weekly, no reactivation date: still out
    assert state(db, PSYCHIATRIST)[0] is False
    before = {DEACTIVATED: "05/01/2026", REACTIVATED: "04/30/2026"}
    load_edited(tmp_path, {PSYCHIATRIST: before}, "w3.csv")  # reactivated before: still out
    assert state(db, PSYCHIATRIST)[0] is False
    after = {DEACTIVATED: "05/01/2026", REACTIVATED: "05/01/2026"}
    load_edited(tmp_path, {PSYCHIATRIST: after}, "w4.csv")

    assert state(db, PSYCHIATRIST) == (True, date(2026, 5, 1), date(2026, 5, 1))
    assert PSYCHIATRIST in matched_npis(client)


def test_the_full_file_as_baseline_brings_back_an_active_row(db, held, tmp_path):
    apply_report(tmp_path, [(PSYCHIATRIST, "06/15/2026")])

    load_edited(tmp_path, {}, "monthly.csv", incremental=False)

    assert state(db, PSYCHIATRIST) == (True, date(2026, 6, 15), None)


def test_cli_commands(runner, db, tmp_path):
    loaded = runner.invoke(args=["ingest", "nppes", str(SAMPLE), "--incremental"])
    report = write_report(tmp_path / "deact.csv", [(PSYCHIATRIST, "06/15/2026")])
    applied = runner.invoke(args=["ingest", "nppes-deactivations", str(report)])

    assert loaded.exit_code == 0, loaded.output
    assert "inserted 12" in loaded.output
    assert applied.exit_code == 0, applied.output
    assert "read 1 · inserted 0 · updated 1 · unchanged 0 · out of scope 0" in applied.output
    assert state(db, PSYCHIATRIST)[0] is False


def test_the_workbook_saved_as_csv_with_its_title_line(db, held, tmp_path):
    path = tmp_path / "NPPES Deactivated NPI Report 20261110.csv"
    path.write_text(
        "NPPES Deactivated NPI Report 20261110,\r\n"
        "NPI,NPPES Deactivation Date\r\n"
        f"{PSYCHIATRIST},06/15/2026\r\n"
        f"{NOT_HELD}\r\n"
        ",\r\n",
        encoding="utf-8",
    )

    with pytest.raises(FileRefused, match="an NPPES deactivation report, not a plan roster"):
        load_file("roster", path, tmp_path / "roster-rejects.csv")
    summary, report = load_file("nppes-deactivations", path, tmp_path / "rejects.csv")

    assert (summary.read, summary.updated, summary.rejected) == (2, 1, 1)
    assert [(r["line"], r["reason"]) for r in read_rejects(report.path)] == [
        ("4", "too few fields: 1 of 2")
    ]
    assert state(db, PSYCHIATRIST) == (False, date(2026, 6, 15), None)


def test_a_weekly_file_touches_only_the_npis_it_names(db, held, tmp_path):
    rows = nppes.sample_rows()
    header = rows[0]
    (psychiatrist,) = [row for row in rows if row[0] == PSYCHIATRIST]
    line1 = header.index("Provider First Line Business Practice Location Address")
    psychiatrist[line1] = "1 NEW ST"
    path = tmp_path / "weekly.csv"
    path.write_bytes(nppes.encode([header, psychiatrist]))

    with RejectReport(tmp_path / "weekly-rejects.csv") as report:
        summary = load_nppes(path, report, incremental=True)

    assert (summary.read, summary.updated, summary.unchanged) == (1, 1, 0)
    assert db.session.scalar(select(func.count()).select_from(Clinician)) == 12
    assert db.session.scalar(select(func.count()).where(Clinician.active.is_(True))) == 12
