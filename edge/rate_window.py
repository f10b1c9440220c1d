"""Fixed-window rate limits on Redis in one round trip per request instead of three.

Flask-Limiter counts a request with one storage call (limits' INCRBY script), then asks the
storage again for the window (GET, then TTL) to write the same response's X-RateLimit-*
headers. Here the counting script also returns the window's time to live: the count and the
reset are kept in the request's environ, and the headers read them from there. The limit, the
keys, the expiry and the headers are the same; only the two extra round trips are gone.
"""

from __future__ import annotations

import time

from flask import has_request_context, request
from flask_limiter import Limiter
from limits import RateLimitItem, WindowStats
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

_ENV_KEY = "bh_directory.rate_windows"
# limits' incr_expire.lua (INCRBY; EXPIRE on the window's first hit), then the TTL, atomically.
_HIT_AND_TTL = """
local current = redis.call("incrby", KEYS[1], ARGV[2])
if tonumber(current) == tonumber(ARGV[2]) then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


class OneCallFixedWindow(FixedWindowRateLimiter):
    """The fixed window, whose hit on Redis also answers get_window_stats for the request."""

    def __init__(self, storage: RedisStorage):
        super().__init__(storage)
        self.storage: RedisStorage = storage
        self._script = storage.get_connection().register_script(_HIT_AND_TTL)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        """Count `cost` against the window; note its count and reset for this request."""
        if not has_request_context():
            return super().hit(item, *identifiers, cost=cost)
        key = item.key_for(*identifiers)
        try:
            count, ttl = self._script([self.storage.prefixed_key(key)], [item.get_expiry(), cost])
        except self.storage.base_exceptions as exc:
            # Raised as limits' own storage calls raise it (RATELIMIT_STORAGE_OPTIONS decides).
            if self.storage.wrap_exceptions:
                raise StorageError(exc) from exc
            raise
        # As FixedWindowRateLimiter.get_window_stats computes them from GET and TTL.
        window = WindowStats(max(int(ttl), 0) + time.time(), max(0, item.amount - int(count)))
        request.environ.setdefault(_ENV_KEY, {})[key] = window
        return int(count) <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        """The window this request's hit saw, else the storage's answer."""
        if has_request_context():
            noted = request.environ.get(_ENV_KEY, {}).get(item.key_for(*identifiers))
            if noted is not None:
                return noted
        return super().get_window_stats(item, *identifiers)


def count_in_one_call(limiter: Limiter) -> None:
    """After limiter.init_app: a fixed window on Redis hits and reads its window in one call."""
    # Flask-Limiter takes a strategy by name only (limits' STRATEGIES), so the instance it
    # built is replaced; on any other storage or strategy it is left as it is.
    if not limiter.enabled or type(limiter._limiter) is not FixedWindowRateLimiter:
        return
    if isinstance(limiter.storage, RedisStorage):
        limiter._limiter = OneCallFixedWindow(limiter.storage)
