"""A load freezes the objects that existed before it, and only its own freeze is undone."""

import gc

import pytest

from ingest.collector import earlier_objects_frozen, young_collections_spaced


def test_earlier_objects_are_frozen_for_the_load_only():
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), earlier_objects_frozen():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a failed load")
    assert gc.get_freeze_count() == 0


def test_someone_elses_freeze_is_left_alone(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 125_000)
    # Counting frozen objects cannot tell: a frozen object that dies leaves the count.
    with earlier_objects_frozen():
        pass
    assert calls == []


@pytest.fixture
def threshold():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("before", "inside"),
    [
        ((700, 10, 10), (20_000, 10, 10)),
        ((19_999, 5, 7), (20_000, 5, 7)),
        ((20_000, 10, 10), (20_000, 10, 10)),
        ((50_000, 10, 10), (50_000, 10, 10)),  # someone's larger setting is kept
        ((0, 10, 10), (0, 10, 10)),  # collection turned off stays off
    ],
)
def test_young_collections_are_spaced_for_the_load_only(threshold, before, inside):
    gc.set_threshold(*before)
    with pytest.raises(RuntimeError), young_collections_spaced():
        assert gc.get_threshold() == inside
        raise RuntimeError("a failed load")
    assert gc.get_threshold() == before
