"""Reading in a second process: the same rows in the same order, failures told, no orphans."""

import multiprocessing
import os
import pickle
import threading

import pytest

from ingest import read_ahead as module
from ingest.read_ahead import ReadAhead, ReadingFailed, worth_a_child
from ingest.report import FileRefused


def _numbers(count: int):
    return lambda: iter(range(count))


@pytest.mark.parametrize("count", [0, 1, 63, 64, 65, 129, 5000])
def test_every_row_arrives_in_order(count):
    assert list(ReadAhead(_numbers(count))) == list(range(count))


def _refused_after(count: int):
    def rows():
        yield from range(count)
        raise FileRefused("npidata.csv: missing required column(s): NPI; nothing was loaded")

    return rows


def test_the_childs_exception_follows_the_rows_read_before_it():
    seen = []
    with pytest.raises(FileRefused, match="^npidata.csv: missing required column\\(s\\): NPI;"):
        for row in ReadAhead(_refused_after(70)):
            seen.append(row)
    assert seen == list(range(70))


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not across processes")


def test_an_exception_that_cannot_cross_is_named():
    def rows():
        yield 1
        raise _Unpicklable("disk on fire")

    named = "^reading the file failed: _Unpicklable: disk on fire$"
    with pytest.raises(ReadingFailed, match=named):
        list(ReadAhead(rows))


def test_a_child_that_dies_is_reported_not_waited_for():
    def rows():
        yield from range(10)
        os._exit(3)  # killed mid-file: no end marker, no exception

    with pytest.raises(ReadingFailed, match=r"\(exit code 3\) before the end of the file"):
        list(ReadAhead(rows))


def test_stopping_early_ends_the_child():
    reading = ReadAhead(_numbers(1_000_000))
    rows = iter(reading)  # kept: a dropped iterator closes the reading as it goes
    assert next(rows) == 0
    assert len(multiprocessing.active_children()) == 1
    reading.close()  # the load failed or was cancelled: nothing more is read
    assert multiprocessing.active_children() == []


def test_stopping_early_with_the_queue_full_leaves_no_thread(monkeypatch):
    monkeypatch.setattr(module, "AHEAD", 1)
    monkeypatch.setattr(module, "BATCH", 1)
    threads = threading.active_count()
    reading = ReadAhead(_numbers(1_000_000))
    rows = iter(reading)
    assert [next(rows), next(rows)] == [0, 1]
    reading.close()
    assert multiprocessing.active_children() == []
    assert threading.active_count() == threads


def test_a_row_that_cannot_cross_fails_the_read():
    def rows():
        yield 1
        yield lambda: None  # not picklable: a bug in the reader, not a fault of the file

    with pytest.raises((AttributeError, pickle.PicklingError), match="pickle"):
        list(ReadAhead(rows))


def test_the_child_starts_when_the_reading_is_made_and_ends_with_it():
    reading = ReadAhead(_numbers(1_000_000))
    assert len(multiprocessing.active_children()) == 1  # reading before a row is asked for
    with reading:
        assert sum(1 for _ in reading) == 1_000_000
    assert multiprocessing.active_children() == []


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.fixture
def alone(monkeypatch):
    """The loading thread is the process's only one (the suite may leave others running)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_a_child_from_32_mib_on(two_cores, alone):
    assert worth_a_child(33_554_432)
    assert not worth_a_child(33_554_431)


def test_no_child_on_one_core(monkeypatch, alone):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not worth_a_child(10 << 30)


def test_no_child_beside_other_threads(two_cores):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert threading.active_count() >= 2
        assert not worth_a_child(10 << 30)
    finally:
        stop.set()
        other.join()
