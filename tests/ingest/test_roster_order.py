"""Roster rows in any order, and partial rosters beside the plan's full list."""

import random

import pytest
from sqlalchemy import select

from directory.models import NetworkParticipation
from tests.conftest import _empty_tables
from tests.ingest.roster_files import (
    JAMIE_LEE,
    SAMPLE,
    WEI_CHEN,
    clinician,
    load,
    sample_rows,
    write_roster,
)

# Every table a roster load writes; timestamps left out (they say when, not what).
_TABLES = (
    "clinician",
    "clinician_language",
    "clinician_taxonomy",
    "clinician_competency",
    "license",
    "location",
    "clinician_location",
    "network",
    "network_participation",
    "ingest_fingerprint",
)
_WHEN = {"created_at", "updated_at", "changed_at"}


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every roster table, ids included, in id order."""
    found = {}
    for name in _TABLES:
        table = db.metadata.tables[name]
        columns = [c for c in table.columns if c.name not in _WHEN]
        order = list(table.primary_key.columns)
        found[name] = [tuple(r) for r in db.session.execute(select(*columns).order_by(*order))]
    return found


def _shuffled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    copy = list(rows)
    random.Random(14).shuffle(copy)
    return copy


ORDERS = {
    "by city": lambda rows: sorted(rows, key=lambda r: (r["city"], r["address_line1"])),
    "by plan": lambda rows: sorted(rows, key=lambda r: r["plan_id"], reverse=True),
    "by name": lambda rows: sorted(rows, key=lambda r: (r["last_name"], r["first_name"])),
    "reversed": lambda rows: list(reversed(rows)),
    "shuffled": _shuffled,
}


@pytest.mark.parametrize("order", sorted(ORDERS))
def test_rows_in_any_order_give_the_same_database(db, app, tmp_path, order):
    load(SAMPLE, tmp_path)
    expected = snapshot(db)
    _empty_tables()  # start again from an empty directory, ids from 1 (PostgreSQL too)
    header, rows = sample_rows()
    reordered = write_roster(tmp_path / "reordered.csv", header, ORDERS[order](rows))

    summary, rejects = load(reordered, tmp_path)

    assert rejects == []
    assert (summary.read, summary.inserted, summary.out_of_scope) == (41, 25, 1)
    assert snapshot(db) == expected


def test_one_clinicians_rows_apart_merge_into_one(db, tmp_path):
    header, rows = sample_rows()
    rows = [rows[0], rows[2], rows[1]]  # Souza, Johnson, Souza again
    summary, rejects = load(write_roster(tmp_path / "apart.csv", header, rows), tmp_path)

    assert rejects == []
    assert summary.inserted == 2
    souza = clinician(db, rows[0]["npi"])
    assert {p.network_id for p in souza.participations} == {"example-bh-net", "sample-care-ppo"}


def test_conflict_between_distant_rows_names_both_lines(db, tmp_path):
    header, rows = sample_rows()
    souza = [r for r in rows if r["npi"] == rows[0]["npi"]]
    others = [r for r in rows[2:6] if r["npi"] != rows[0]["npi"]]
    moved = dict(souza[1], wait_days="30")
    file_rows = [souza[0], *others, moved]
    _, rejects = load(write_roster(tmp_path / "far.csv", header, file_rows), tmp_path)

    last_line = str(len(file_rows) + 1)
    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        (last_line, "wait_days", "differs from line 2 for the same NPI")
    ]


def _without_lee(tmp_path, rows, header):
    kept = [r for r in rows if r["npi"] != JAMIE_LEE]
    return write_roster(tmp_path / "without-lee.csv", header, kept)


def test_absent_from_a_full_roster_leaves_the_plan(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()

    summary, _ = load(_without_lee(tmp_path, rows, header), tmp_path)

    assert summary.updated == 1
    assert clinician(db, JAMIE_LEE).participations == []


def test_absent_from_a_partial_roster_keeps_the_plan(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()
    before = len(clinician(db, JAMIE_LEE).participations)

    summary, rejects = load(_without_lee(tmp_path, rows, header), tmp_path, partial=True)

    assert (summary.updated, rejects) == (0, [])
    assert before == 2
    assert len(clinician(db, JAMIE_LEE).participations) == 2


def test_partial_roster_changes_only_the_clinicians_it_names(db, tmp_path):
    load(SAMPLE, tmp_path)
    header, rows = sample_rows()
    chen = [r for r in rows if r["npi"] == WEI_CHEN and r["plan_id"] == "sample-care-ppo"]
    chen = [dict(r, wait_days="21") for r in chen[:1]]  # one of Chen's two PPO places

    summary, _ = load(write_roster(tmp_path / "chen.csv", header, chen), tmp_path, partial=True)

    assert (summary.read, summary.inserted, summary.updated) == (1, 0, 1)
    assert clinician(db, WEI_CHEN).wait_days == 21
    # Chen's PPO listing is what the file sends: one place now; the HMO network's two stay.
    places = {(p.network_id, p.location.city) for p in clinician(db, WEI_CHEN).participations}
    assert places == {
        ("example-bh-net", "Boston"),
        ("example-bh-net", "Quincy"),
        ("sample-care-ppo", chen[0]["city"]),
    }
    assert len(db.session.scalars(select(NetworkParticipation)).all()) == 39


def test_cli_partial_flag(runner, db, tmp_path):
    runner.invoke(args=["ingest", "roster", str(SAMPLE), "--rejects", str(tmp_path / "r.csv")])
    header, rows = sample_rows()
    path = _without_lee(tmp_path, rows, header)

    result = runner.invoke(
        args=["ingest", "roster", str(path), "--partial", "--rejects", str(tmp_path / "r2.csv")]
    )

    assert result.exit_code == 0, result.output
    assert "updated 0 · unchanged 24" in result.output
    assert len(clinician(db, JAMIE_LEE).participations) == 2
