"""Plan roster loader: the shipped sample, reloads, changes and dropped listings."""

from sqlalchemy import func, select

from directory.models import (
    Clinician,
    ClinicianLocation,
    Location,
    Network,
    NetworkParticipation,
)
from tests.ingest.roster_files import (
    JAMIE_LEE,
    SAMPLE,
    WEI_CHEN,
    clinician,
    count,
    load,
    sample_rows,
    write_roster,
)


def test_sample_loads_with_exact_counts(db, tmp_path):
    summary, rejects = load(SAMPLE, tmp_path)

    assert summary.as_dict() == {
        "read": 41,
        "inserted": 25,
        "updated": 0,
        "unchanged": 0,
        "out_of_scope": 1,  # a family physician listed by the HMO
        "rejected": 0,
        "repaired": 0,
        "unplaced": 0,
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
            row["accepting_new_patients"] = "maybe"  # rejected rows still name Chen: still listed
    summary, rejects = load(write_roster(tmp_path / "left.csv", header, kept), tmp_path)

    assert (summary.updated, summary.unchanged, summary.rejected) == (1, 23, 4)
    assert len(rejects) == 4
    assert clinician(db, JAMIE_LEE).participations == []
    assert clinician(db, JAMIE_LEE).locations == []
    assert len(clinician(db, WEI_CHEN).participations) == 4


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
