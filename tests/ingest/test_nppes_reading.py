"""An NPPES file's reading begins before the load that takes it, and never outlives the command."""

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import nppes_reading as module
from ingest.nppes_reading import begin_reading, nppes_reading, nppes_rows
from ingest.nppes_scope import Scope
from ingest.read_ahead import ReadAhead

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "nppes" / "npidata_sample_300.csv"


@pytest.fixture
def big(monkeypatch):
    """Every file counts as big enough for a second process."""
    monkeypatch.setattr(module, "worth_a_child", lambda size: True)


@pytest.fixture(autouse=True)
def nothing_left():
    yield
    left = dict(module._begun)
    module._begun.clear()
    for reading in left.values():
        reading.close()  # a failed test's reading: stopped, so the next test starts clean
    assert left == {}
    assert multiprocessing.active_children() == []


def _started() -> list[bool]:
    """For each reading begun: whether its process was started (a small file's reading may
    already have ended: the pipe takes all of its rows)."""
    return [reading.child.pid is not None for reading in module._begun.values()]


def _lines(rows) -> list[tuple[int, int, dict, str | None]]:
    """What the load reads of each row: line, rows skipped unparsed, values, record's NPI."""
    return [
        (r.line, r.skipped, r.values, p.record.npi if p and p.record else None) for r, p in rows
    ]


def _read(lines: list[tuple]) -> int:
    """Rows read: a run skipped unparsed counts each of its rows."""
    return sum(skipped or 1 for _line, skipped, *_ in lines)


def test_a_begun_reading_runs_before_the_load_and_is_the_one_it_takes(big):
    stop = begin_reading(SAMPLE)
    assert _started() == [True]  # reading already, nothing asked yet
    with nppes_reading(SAMPLE, Scope()) as rows:
        assert isinstance(rows, ReadAhead)
        assert module._begun == {}  # taken: a second load of the file reads it afresh
        got = _lines(rows)
    stop()  # the command's end: nothing left to stop
    assert got == _lines(nppes_rows(SAMPLE, Scope()))
    assert _read(got) == 300
    assert len([npi for *_, npi in got if npi]) == 12


def test_the_same_file_named_another_way_is_the_same_reading(big, monkeypatch):
    monkeypatch.chdir(SAMPLE.parent)
    stop = begin_reading(Path(SAMPLE.name))
    begun = module._begun[SAMPLE]
    again = begin_reading(SAMPLE)  # already begun: nothing more starts, nothing to stop
    assert list(module._begun.values()) == [begun]
    again()
    assert list(module._begun.values()) == [begun]
    assert not begun.closed
    with nppes_reading(SAMPLE, Scope()) as rows:
        assert _read(_lines(rows)) == 300
    stop()


def test_a_reading_never_taken_is_stopped_by_what_begin_returned(big):
    stop = begin_reading(SAMPLE)
    begun = module._begun[SAMPLE]
    assert _started() == [True]
    stop()  # e.g. the file was refused as another kind before the loader ran
    assert module._begun == {}
    assert begun.closed
    assert begun.child.exitcode is not None
    assert multiprocessing.active_children() == []


def test_a_small_file_begins_nothing_and_is_read_here():
    stop = begin_reading(SAMPLE)  # 0.2 MB: a second process would cost more than it saves
    assert module._begun == {}
    assert multiprocessing.active_children() == []
    with nppes_reading(SAMPLE, Scope()) as rows:
        assert not isinstance(rows, ReadAhead)
        assert _read(_lines(rows)) == 300
    stop()


def test_stopping_a_taken_reading_early_ends_its_process(big):
    begin_reading(SAMPLE)
    with nppes_reading(SAMPLE, Scope()) as rows:
        next(iter(rows))
    assert multiprocessing.active_children() == []


READER_ALONE = """
import json, sys
import ingest.nppes_reading
print(json.dumps(sorted({n.partition(".")[0] for n in sys.modules} & set(sys.argv[1:]))))
"""


def test_the_reading_imports_neither_the_database_nor_flask():
    # A fresh interpreter: what the reading process needs is all the parent has when it forks.
    libraries = ["sqlalchemy", "flask", "flask_sqlalchemy", "directory.models", "werkzeug"]
    done = subprocess.run(
        [sys.executable, "-c", READER_ALONE, *libraries],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == []
