"""In-process rate-limit counters whose expired windows are purged without a thread a request.

limits' MemoryStorage (RATELIMIT_STORAGE_URI=memory://, the default) purges expired windows
from a 10 ms threading.Timer that every count restarts once the last one has run: a server
answering a request every few milliseconds starts a thread for nearly each one, and the
request waits for that thread to start. Here the same purge runs in line, at most once a
second. A window is still read as expired the moment it is (MemoryStorage.get checks the
expiry on every count), so counts, limits and 429s are the same; only the memory of windows
nobody asks about again is given back up to a second later.
"""

from __future__ import annotations

import time

from flask_limiter import Limiter
from limits.storage import MemoryStorage

PURGE_SECONDS = 1.0


class InlineExpiryMemoryStorage(MemoryStorage):
    """limits' MemoryStorage, its expired windows purged in line at most once a second."""

    STORAGE_SCHEME = None  # no scheme of its own: put in place of memory:// by expire_in_line

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one MemoryStorage starts; no other follows
        self.purged_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - limits' hook, each count
        """Purge expired windows now when the last purge is PURGE_SECONDS old."""
        now = time.monotonic()
        if now - self.purged_at >= PURGE_SECONDS:
            self.purged_at = now
            self._MemoryStorage__expire_events()


def expire_in_line(limiter: Limiter) -> None:
    """After limiter.init_app: memory:// counters purge in line, not from a thread a request."""
    # Flask-Limiter builds its storage from the URI alone (limits' registry of schemes), so
    # the instance it made is replaced, with the strategy that counts on it; any other storage
    # (Redis in production) is left as it is.
    if not limiter.enabled or type(limiter.storage) is not MemoryStorage:
        return
    made = limiter.storage
    made.timer.cancel()
    storage = InlineExpiryMemoryStorage(wrap_exceptions=made.wrap_exceptions)
    limiter._storage = storage
    limiter._limiter = type(limiter._limiter)(storage)
