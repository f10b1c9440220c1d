"""The bulk path for new clinicians writes exactly what the ORM would, row for row."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from benchmarks.nppes_file import RowMaker
from directory.extensions import db as _db
from directory.models import Clinician
from ingest import nppes_reading as reading_module
from ingest import read_ahead as read_ahead_module
from ingest import saving as saving_module
from ingest.links import BatchLinks
from ingest.nppes import load_nppes
from ingest.nppes_fields import (
    CITY,
    LAST_NAME,
    LICENSE,
    LICENSE_STATE,
    LINE1,
    NPI,
    POSTAL,
    STATE,
    SWITCH,
    TAXONOMY,
)
from ingest.report import RejectReport, read_rejects, repairs_path

# Surrogate keys and clocks: they differ between two loads of one file by design.
_VOLATILE = {"id", "seq", "txid", "created_at", "updated_at", "recorded_at", "changed_at"}
_ROWS = 400


def _varied_rows() -> list[list[str]]:
    """The generator's rows (about 12% in scope) with the cases a national file holds."""
    maker = RowMaker(11)
    rows = [maker.header] + [maker.row(i) for i in range(_ROWS)]
    col = maker.column
    scoped = [r for r in rows[1:] if r[col[TAXONOMY[0]]] in maker.taxonomies]
    first, second, third, fourth, fifth, sixth = scoped[:6]
    # A second taxonomy with its own licence, and the primary switch on it.
    first[col[TAXONOMY[1]]], first[col[SWITCH[1]]] = "103TC0700X", "Y"
    first[col[LICENSE[1]]], first[col[LICENSE_STATE[1]]] = "PSY-991", "ny"
    second[col[POSTAL]] = ""  # no ZIP: placed by city, or unplaced, and kept
    third[col[POSTAL]] = "2139"  # a ZIP that lost its leading zero: repaired
    fourth[col[LAST_NAME]] = 'O\'BRIEN-MÜLLER, "JR"'  # quotes, comma, non-ASCII
    fourth[col[CITY]] = "SAINT-JOSÉ  "
    fifth[col[LINE1]], fifth[col[POSTAL]] = sixth[col[LINE1]], sixth[col[POSTAL]]
    fifth[col[CITY]], fifth[col[STATE]] = sixth[col[CITY]], sixth[col[STATE]]  # one place
    scoped[6][col[TAXONOMY[1]]] = "999X00000X"  # unknown taxonomy: rejected
    scoped[7][col[LAST_NAME]] = ""  # rejected
    rows.append(list(scoped[8]))  # the same NPI twice: the second is rejected
    return rows


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def _orm_insert(fresh: list, links: BatchLinks) -> dict[str, int]:
    """The reference: new clinicians as ORM objects, filled as an update fills them."""
    made = []
    for record in fresh:
        clinician = Clinician(npi=record.npi, last_name=record.last_name, source=record.source)
        _db.session.add(clinician)
        saving_module._apply(clinician, record)
        links.apply(clinician, record)
        made.append(clinician)
    _db.session.flush()
    return {c.npi: c.id for c in made}


def _load(path: Path, rejects: Path):
    with RejectReport(rejects) as report:
        summary = load_nppes(path, report, batch_size=25)
    return summary.as_dict(), read_rejects(rejects)


def _repairs(rejects: Path) -> list[dict]:
    with repairs_path(rejects).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _natural(table, row: dict, names: dict[str, dict]) -> tuple:
    """A row with surrogate ids replaced by what they stand for (NPI, address key)."""
    values = []
    for column in table.columns:
        value = row[column.key]
        if column.key in _VOLATILE:
            continue
        if column.key in ("clinician_id", "subject_id") and value is not None:
            value = names["clinician"][value]
        elif column.key == "location_id" and value is not None:
            value = names["location"][value]
        values.append((column.key, repr(value)))
    return tuple(values)


def _snapshot() -> dict[str, list[tuple]]:
    """Every table's rows, ids mapped through natural keys, in a stable order."""
    session = _db.session
    names = {
        "clinician": dict(session.execute(select(Clinician.id, Clinician.npi)).all()),
        "location": dict(session.execute(select(_table("location").c.id, _address())).all()),
    }
    found = {}
    for table in _db.metadata.sorted_tables:
        rows = [_natural(table, dict(r), names) for r in session.execute(table.select()).mappings()]
        if rows:
            found[table.name] = sorted(rows)
    return found


def _table(name: str):
    return _db.metadata.tables[name]


def _address():
    return _table("location").c.address_key


def _empty() -> None:
    """Delete every row; the change log last, as deletes of clinician rows write to it."""
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name != "listing_change"]
    for table in [*tables, _table("listing_change")]:
        if table.name != "audit_event":  # append-only; an NPPES load writes none
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def varied(app, tmp_path) -> Path:
    _empty()  # the change log holds what earlier tests' clean-ups deleted
    return _write(tmp_path / "npidata_varied.csv", _varied_rows())


def test_bulk_and_orm_paths_write_the_same_rows(app, varied, tmp_path, monkeypatch):
    fast = _load(varied, tmp_path / "fast-rejects.csv")
    fast_tables = _snapshot()
    _empty()
    with monkeypatch.context() as patched:
        patched.setattr(saving_module, "insert_clinicians", _orm_insert)
        orm = _load(varied, tmp_path / "orm-rejects.csv")
    orm_tables = _snapshot()

    assert fast == orm
    summary, rejects = fast
    assert summary["rejected"] == 3
    assert [r["reason"][:24] for r in rejects] == [
        "unknown NUCC taxonomy co",
        "last name is missing",
        "duplicate NPI " + rejects[2]["value"][:10],
    ]
    assert fast_tables.keys() == orm_tables.keys()
    assert {"clinician", "location", "clinician_taxonomy", "license"} <= fast_tables.keys()
    for name in fast_tables:
        assert fast_tables[name] == orm_tables[name], name
    assert len(fast_tables["clinician"]) == summary["inserted"]
    assert len(fast_tables["location"]) == summary["inserted"] - 1  # two share a place


def test_second_load_changes_nothing(app, varied, tmp_path):
    first = _load(varied, tmp_path / "first-rejects.csv")
    before = _snapshot()
    summary, rejects = _load(varied, tmp_path / "second-rejects.csv")

    assert _snapshot() == before
    assert rejects == first[1]
    assert summary["unchanged"] == first[0]["inserted"]
    assert summary["inserted"] == summary["updated"] == 0


def test_the_varied_rows_land_as_the_file_says(app, varied, tmp_path):
    rows = _varied_rows()
    col = {name: i for i, name in enumerate(rows[0])}
    _load(varied, tmp_path / "rejects.csv")
    scoped = [r for r in rows[1:] if r[col[TAXONOMY[0]]] not in ("", None)]
    npi = next(r[col[NPI]] for r in scoped if r[col[LICENSE[1]]] == "PSY-991")
    clinician = _db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()

    assert ("103TC0700X", True) in {(t.code, t.is_primary) for t in clinician.taxonomies}
    assert ("NY", "PSY-991") in {(lic.state, lic.number) for lic in clinician.licenses}


def test_reading_in_a_second_process_writes_the_same(app, varied, tmp_path, monkeypatch):
    here = _load(varied, tmp_path / "here-rejects.csv")
    here_tables = _snapshot()
    _empty()
    children = []

    class Counted(read_ahead_module.ReadAhead):
        def __init__(self, rows):
            children.append(rows)
            super().__init__(rows)

    with monkeypatch.context() as patched:
        patched.setattr(reading_module, "worth_a_child", lambda size: True)
        patched.setattr(reading_module, "ReadAhead", Counted)
        patched.setattr(read_ahead_module, "BATCH", 7)  # batches end mid-file, mid-batch
        ahead = _load(varied, tmp_path / "ahead-rejects.csv")

    assert len(children) == 1
    assert ahead == here
    assert _snapshot() == here_tables
    assert _repairs(tmp_path / "ahead-rejects.csv") == _repairs(tmp_path / "here-rejects.csv")
    assert [r["line"] for r in ahead[1]] == [r["line"] for r in here[1]]
    assert len(ahead[1]) == 3


def test_the_columns_kept_hold_everything_the_load_reads(app, varied, tmp_path, monkeypatch):
    cut = _load(varied, tmp_path / "cut-rejects.csv")
    cut_tables = _snapshot()
    _empty()
    with monkeypatch.context() as patched:
        patched.setattr(reading_module, "USED", None)  # all 330 columns
        whole = _load(varied, tmp_path / "whole-rejects.csv")

    assert cut == whole
    assert _snapshot() == cut_tables
    assert _repairs(tmp_path / "cut-rejects.csv") == _repairs(tmp_path / "whole-rejects.csv")
