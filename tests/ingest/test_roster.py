"""Plan roster loader: the shipped sample, reloads, changes, and every kind of rejected row."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.models import (
    Clinician,
    ClinicianLocation,
    Location,
    Network,
    NetworkParticipation,
)
from ingest.report import FileRefused, RejectReport, read_rejects
from ingest.roster import load_roster

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "samples" / "roster_sample.csv"
WEI_CHEN = "1907331031"
JAMIE_LEE = "1919898514"


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_roster(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def load(path: Path, tmp_path: Path, batch_size: int = 7):
    rejects = tmp_path / f"rejects-{path.stem}.csv"
    with RejectReport(rejects) as report:
        summary = load_roster(path, report, batch_size=batch_size)
    found = read_rejects(rejects) if rejects.exists() else []
    return summary, found


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def clinician(db, npi: str) -> Clinician:
    return db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()


def test_sample_loads_with_exact_counts(db, tmp_path):
    summary, rejects = load(SAMPLE, tmp_path)

    assert summary.as_dict() == {
        "read": 41,
        "inserted": 25,
        "updated": 0,
        "unchanged": 0,
        "out_of_scope": 1,  # a family physician listed by the HMO
        "rejected": 0,
    }
    assert rejects == []
    assert count(db, Clinician) == 25
    assert count(db, Location) == 19
    assert count(db, ClinicianLocation) == 30
    assert count(db, NetworkParticipation) == 40


def test_sample_plans_and_networks(db, tmp_path):
    load(SAMPLE, tmp_path)

    hmo = db.session.get(Network, "example-hmo")
    assert (hmo.kind, hmo.plan_type, hmo.payer) == ("plan", "HMO", "Example Health Plan")
    assert [n.id for n in hmo.networks] == ["example-bh-net"]
    assert db.session.get(Network, "example-bh-net").name == "Example Behavioral Health Network"
    ppo = db.session.get(Network, "sample-care-ppo")
    assert (ppo.kind, ppo.plan_type, ppo.networks) == ("plan", "PPO", [])


def test_sample_clinician_merges_rows_across_plans_and_locations(db, tmp_path):
    load(SAMPLE, tmp_path)

    chen = clinician(db, WEI_CHEN)
    assert chen.display_name == "Wei Chen, MD"
    assert [(t.code, t.is_primary) for t in chen.taxonomies] == [("2084P0800X", True)]
    assert [(lang.code, lang.proficiency) for lang in chen.languages] == [
        ("en", None),
        ("zh", "native"),
    ]
    assert chen.conditions_treated == ["depression", "anxiety", "bipolar", "psychosis", "insomnia"]
    assert [(lic.state, lic.license_type, lic.number) for lic in chen.licenses] == [
        ("MA", "MD", "MD-131676")
    ]
    accepting = {link.location.name: link.accepting_new_patients for link in chen.locations}
    assert accepting == {"Chinatown Wellness Clinic": True, "Harbor Counseling Associates": False}
    assert chen.accepting_new_patients is True
    places = {(p.network_id, p.location.city) for p in chen.participations}
    assert places == {
        ("example-bh-net", "Boston"),
        ("example-bh-net", "Quincy"),
        ("sample-care-ppo", "Boston"),
        ("sample-care-ppo", "Quincy"),
    }
    assert chen.verified_at.date().isoformat() == "2026-10-01"
    assert chen.verified_source == "roster:sample-care-ppo:credentialing"


def test_sample_location_facts(db, tmp_path):
    load(SAMPLE, tmp_path)

    def place(city: str) -> Location:
        return db.session.scalars(select(Location).where(Location.city == city)).one()

    quincy = place("Quincy")
    assert (quincy.line1, quincy.line2, quincy.postal_code) == (
        "1250 Hancock St",
        "Suite 410",
        "02169",
    )
    assert (quincy.evening_hours, quincy.weekend_hours) == (True, True)
    assert quincy.accessibility == ["wheelchair"]
    assert len(quincy.clinicians) == 3  # a group practice shared by three clinicians
    # Evening/weekend given as Y/N without an hours column.
    assert (place("New Bedford").evening_hours, place("Lowell").evening_hours) == (True, False)
    springfield = place("Springfield")
    assert (springfield.lat, springfield.lon) == (42.1029, -72.5913)
    lee = clinician(db, JAMIE_LEE)
    assert (lee.gender, lee.pronouns) == ("nonbinary", "they/them")
    assert [(c.code, c.provenance) for c in lee.competencies] == [
        ("lgbtq_affirming", "lived_experience"),
        ("transgender_care", "trained"),
    ]


def test_reload_changes_nothing(db, tmp_path):
    load(SAMPLE, tmp_path)
    stamp = db.session.scalar(select(func.max(Clinician.updated_at)))

    summary, rejects = load(SAMPLE, tmp_path)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 25)
    assert rejects == []
    assert db.session.scalar(select(func.max(Clinician.updated_at))) == stamp
    assert count(db, NetworkParticipation) == 40


def test_changed_row_updates_that_clinician_only(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()
    for row in rows:
        if row["npi"] == JAMIE_LEE:
            row["wait_days"] = "40"
            row["next_available"] = "2027-01-05"
    changed = write_roster(tmp_path / "changed.csv", header, rows)

    summary, _ = load(changed, tmp_path)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 24)
    assert clinician(db, JAMIE_LEE).wait_days == 40


def test_row_dropped_from_a_plan_removes_only_that_participation(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()
    kept = [r for r in rows if not (r["npi"] == JAMIE_LEE and r["plan_id"] == "sample-care-ppo")]
    summary, _ = load(write_roster(tmp_path / "dropped.csv", header, kept), tmp_path)

    assert summary.updated == 1
    lee = clinician(db, JAMIE_LEE)
    assert {p.network_id for p in lee.participations} == {"example-bh-net"}
    assert len(lee.locations) == 1


def test_clinician_missing_from_the_roster_leaves_its_plans(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()
    kept = [r for r in rows if r["npi"] != JAMIE_LEE]
    for row in kept:
        if row["npi"] == WEI_CHEN:
            row["zip"] = "2111"  # rejected rows still name Chen, so Chen stays listed
    summary, rejects = load(write_roster(tmp_path / "left.csv", header, kept), tmp_path)

    assert (summary.updated, summary.unchanged, summary.rejected) == (1, 23, 4)
    assert len(rejects) == 4
    assert clinician(db, JAMIE_LEE).participations == []
    assert clinician(db, JAMIE_LEE).locations == []
    assert len(clinician(db, WEI_CHEN).participations) == 4


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
        ("zip", "1702", "must be a 5-digit ZIP or ZIP+4"),
        ("zip", "00001", "unknown ZIP (no Census ZCTA); give lat and lon"),
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


def test_unsorted_npi_is_rejected(db, tmp_path):
    header, rows = sample_rows()
    rows = [rows[0], rows[2], rows[1]]  # Souza, Johnson, Souza again
    summary, rejects = load(write_roster(tmp_path / "unsorted.csv", header, rows), tmp_path)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("4", "npi", "NPI already listed from line 2; the roster must be sorted by NPI")
    ]
    assert summary.inserted == 2


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


def test_optional_columns_may_be_absent(db, tmp_path):
    header, rows = sample_rows()
    keep = [
        "plan_id",
        "plan_name",
        "npi",
        "first_name",
        "last_name",
        "taxonomy_codes",
        "address_line1",
        "city",
        "state",
        "zip",
    ]
    rows = [{k: r[k] for k in keep} for r in rows[:3]]
    summary, rejects = load(write_roster(tmp_path / "minimal.csv", keep, rows), tmp_path)

    assert (summary.inserted, rejects) == (2, [])
    souza = clinician(db, rows[0]["npi"])
    assert (souza.languages, souza.wait_days, souza.accepting_new_patients) == ([], None, None)


def test_cli_loads_a_roster(runner, db, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(args=["ingest", "roster", str(SAMPLE), "--rejects", str(rejects)])

    assert result.exit_code == 0, result.output
    assert "read 41 · inserted 25" in result.output
    assert not rejects.exists()
