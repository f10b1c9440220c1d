"""memory:// rate-limit counters: the same 429s, no timer thread a request, purged in line."""

import threading
import time

import pytest
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from app import create_app
from edge import memory_window
from edge.extensions import limiter
from edge.memory_window import InlineExpiryMemoryStorage, expire_in_line


@pytest.fixture
def timers(monkeypatch):
    """Every threading.Timer made from here on."""
    made = []

    class Counted(threading.Timer):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(threading, "Timer", Counted)
    return made


def test_the_app_counts_in_memory_without_a_timer_a_request(limited_client, timers):
    limited = limited_client(PUBLIC_RATE_LIMIT="3/minute")  # memory://, the default storage
    at_start = list(timers)  # each storage starts one as it is made (the one swapped in stops it)
    assert type(limiter.storage) is InlineExpiryMemoryStorage
    assert type(limiter.limiter) is FixedWindowRateLimiter
    assert limiter.limiter.storage is limiter.storage
    statuses = []
    for _ in range(4):
        statuses.append(limited.get("/api/v1/languages").status_code)
        time.sleep(0.02)  # limits' own storage would have let its 10 ms timer run out
    assert statuses == [200, 200, 200, 429]  # the same budget as before
    assert timers == at_start


def _expired(storage: MemoryStorage, key: str) -> None:
    storage.incr(key, 60)
    storage.expirations[key] = time.time() - 1  # its window is over


def test_counting_starts_no_timer(timers):
    storage = InlineExpiryMemoryStorage()
    assert len(timers) == 1 and timers[0].finished.is_set()  # MemoryStorage's own, cancelled
    for _ in range(3):
        storage.incr("key", 60)
        time.sleep(0.02)
    assert storage.get("key") == 3
    assert len(timers) == 1


def test_an_expired_window_is_read_as_expired_at_once():
    storage = InlineExpiryMemoryStorage()
    _expired(storage, "old")
    assert storage.get("old") == 0
    assert storage.incr("old", 60) == 1  # a new window, as limits' own storage counts it


def test_expired_windows_are_purged_once_a_second_has_passed(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(memory_window.time, "monotonic", lambda: clock[0])
    storage = InlineExpiryMemoryStorage()
    _expired(storage, "old")
    clock[0] = 1000.999
    storage.incr("other", 60)
    assert "old" in storage.storage  # not yet a second since the last purge
    clock[0] = 1001.0
    storage.incr("other", 60)
    assert "old" not in storage.storage and "old" not in storage.expirations
    assert storage.storage["other"] == 2  # a live window is kept
    _expired(storage, "older")
    clock[0] = 1001.5
    storage.incr("other", 60)
    assert "older" in storage.storage  # the clock restarts at each purge
    clock[0] = 1002.0
    storage.incr("other", 60)
    assert "older" not in storage.storage


def test_moving_windows_are_purged_in_line_too(monkeypatch):
    clock = [50.0]
    monkeypatch.setattr(memory_window.time, "monotonic", lambda: clock[0])
    storage = InlineExpiryMemoryStorage()
    item = RateLimitItemPerMinute(2)
    assert storage.acquire_entry("moving", item.amount, 0)  # an entry that expires at once
    time.sleep(0.01)
    clock[0] = 51.0
    assert storage.acquire_entry("other", item.amount, 60)
    assert storage.events["moving"] == []  # its expired entry dropped
    assert len(storage.events["other"]) == 1


def test_a_disabled_limiter_is_left_alone(app, database_url):
    create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    assert not limiter.enabled
    expire_in_line(limiter)  # nothing to replace, nothing raised


def test_another_storage_is_left_alone(monkeypatch):
    class Other(MemoryStorage):
        STORAGE_SCHEME = None

    class Stub:
        enabled = True
        storage = Other()
        _limiter = object()

    stub = Stub()
    expire_in_line(stub)
    assert type(stub.storage) is Other and not hasattr(stub, "_storage")
    stub.storage.timer.cancel()
