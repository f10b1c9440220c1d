"""Batches the database refuses: good rows still load, the bad one is rejected with its line."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from directory.extensions import db as _db
from directory.models import Clinician, IngestFingerprint
from ingest.bulk import insert_rows
from ingest.report import LoadSummary
from ingest.store import Batcher
from tests.ingest import plan_net_copies as plan_net
from tests.ingest import test_nppes_rejects as nppes


def _fingerprints(summary: LoadSummary):
    def save(keys: list[str]) -> None:
        summary.inserted += len(keys)  # counted before the database says no
        rows = [{"source": "t", "key": k, "digest": "d"} for k in keys]
        insert_rows(IngestFingerprint.__table__, rows)

    return save


def _stored_keys() -> list[str]:
    return sorted(_db.session.scalars(select(IngestFingerprint.key)))


def test_a_refused_batch_is_saved_row_by_row_and_only_the_bad_row_is_rejected(db):
    db.session.add(IngestFingerprint(source="t", key="k3", digest="old"))
    db.session.commit()
    summary, refused = LoadSummary(), []
    batcher = Batcher(
        _fingerprints(summary),
        size=5,
        refused=lambda origin, reason: refused.append((origin, reason)),
        summary=summary,
    )

    for line, key in enumerate(["k1", "k2", "k3", "k4", "k5", "k6"], start=2):
        batcher.add(key, line)
    batcher.flush()

    assert _stored_keys() == ["k1", "k2", "k3", "k4", "k5", "k6"]
    assert [origin for origin, _ in refused] == [4]
    assert refused[0][1].startswith("the database refused it: ")
    assert "unique" in refused[0][1].lower()
    assert summary.inserted == 5  # 4 of the first batch, then k6: the failed try is taken back
    assert db.session.get(IngestFingerprint, ("t", "k3")).digest == "old"


def test_without_a_refused_callback_the_error_ends_the_load(db):
    db.session.add(IngestFingerprint(source="t", key="k1", digest="old"))
    db.session.commit()
    batcher = Batcher(_fingerprints(LoadSummary()), size=2)

    batcher.add("k1")
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        batcher.add("k2")

    assert _stored_keys() == ["k1"]


def test_a_database_failure_is_not_blamed_on_the_rows(db):
    def down(items):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    refused = []
    batcher = Batcher(down, size=2, refused=lambda *a: refused.append(a))
    batcher.add("a", 1)
    with pytest.raises(OperationalError):
        batcher.add("b", 2)

    assert refused == []


def test_a_value_too_long_for_its_column_is_a_reject_where_the_database_enforces_it(db, tmp_path):
    prefix = "Provider Name Prefix Text"  # a 20-character column
    rows = nppes.edited({"1184627184": {prefix: "X" * 30}})

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    if db.engine.dialect.name == "postgresql":
        assert [(r["line"], r["field"], r["value"]) for r in rejects] == [
            ("20", "(row)", "1184627184")
        ]
        reason = rejects[0]["reason"]
        assert reason.startswith("the database refused it: value too long"), reason
        assert (summary.inserted, summary.rejected) == (11, 1)
    else:  # SQLite does not enforce VARCHAR lengths: the row loads
        assert rejects == [] and (summary.inserted, summary.rejected) == (12, 0)
    assert len(nppes.loaded(db)) == 12 - summary.rejected


def test_a_plan_net_load_that_fails_midway_converges_when_run_again(db, tmp_path, monkeypatch):
    import ingest.plan_net as loader

    folder = plan_net.copy_examples(tmp_path)
    plan_net.load(folder, tmp_path)
    clean = plan_net.snapshot()
    for table in reversed(db.metadata.sorted_tables):  # start again from an empty directory
        db.session.execute(table.delete())
    db.session.commit()

    def down(records, summary):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(loader, "save_clinicians", down)
    with pytest.raises(OperationalError):
        plan_net.load(folder, tmp_path)
    # Each batch is atomic: networks, plans, organizations and locations committed, no clinician.
    half = plan_net.snapshot()
    assert half["clinicians"] == [] and half["locations"] == clean["locations"]
    monkeypatch.undo()

    summary, rejects = plan_net.load(folder, tmp_path)

    assert rejects == [] and plan_net.snapshot() == clean
    assert summary.inserted == 1 and db.session.scalar(select(Clinician.npi)) == "9941339100"
