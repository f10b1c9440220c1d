"""Shared counts for sign-in throttling: database tables, or Redis in one atomic script."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from accounts.models import SigninAttempt, SigninThrottle
from accounts.throttle import FORGET_STREAK_SECONDS, HOUR, ThrottleRules, Verdict
from directory.extensions import db

_ATTEMPT = SigninAttempt.__table__
_STATE = SigninThrottle.__table__


def _insert_ignore(conn: Connection, subject: str) -> None:
    """Create the subject's row unless it exists (and, on SQLite, take the write lock)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    row = {"subject": subject, "streak": 0, "locked_until": 0.0, "last_failure_at": 0.0}
    conn.execute(dialect_insert(_STATE).values(**row).on_conflict_do_nothing())


def _take_slot(conn: Connection, subject: str, limit: int, window: int, now: float):
    """Count an attempt in the sliding window: its id, or the seconds until a slot frees up."""
    # Insert first, then count: two workers racing for the last slot may both be refused,
    # but the limit is never exceeded.
    slot = conn.execute(insert(_ATTEMPT).values(subject=subject, at=now)).inserted_primary_key[0]
    in_window = (_ATTEMPT.c.subject == subject) & (_ATTEMPT.c.at > now - window)
    counted = select(func.count(), func.min(_ATTEMPT.c.at)).where(in_window)
    count, oldest = conn.execute(counted).one()
    if count <= limit:
        return slot, 0.0
    conn.execute(delete(_ATTEMPT).where(_ATTEMPT.c.id == slot))
    return None, oldest + window - now


class DatabaseThrottleStore:
    """Counts in signin_attempt (sliding windows) and signin_throttle (runs and lockouts)."""

    # Each call is a transaction of its own, so a refusal is counted whatever the request does
    # next; call it with the request's writes committed (SQLite has one write lock).

    def reserve(self, account: str, address: str, rules: ThrottleRules, now: float) -> Verdict:
        """Count the attempt as a failure unless a limit refuses it (one transaction)."""
        with db.engine.begin() as conn:
            if rules.address_limit:
                limit, window = rules.address_limit, rules.address_window
                slot, wait = _take_slot(conn, address, limit, window, now)
                if slot is None:
                    return Verdict.refuse("address", wait)
            _insert_ignore(conn, account)
            # The row lock serializes attempts on one account for the few statements below.
            state = conn.execute(
                select(_STATE).where(_STATE.c.subject == account).with_for_update()
            ).one()
            if state.locked_until > now:
                return Verdict.refuse("locked", state.locked_until - now)
            slot, wait = _take_slot(conn, account, rules.failures_per_hour, HOUR, now)
            if slot is None:
                return Verdict.refuse("hourly", wait)
            fresh = state.last_failure_at <= now - rules.forget_after
            streak = 1 if fresh else state.streak + 1
            wait = rules.lock_seconds(streak)
            locked_until = now + wait if wait else 0.0
            conn.execute(
                update(_STATE)
                .where(_STATE.c.subject == account)
                .values(streak=streak, locked_until=locked_until, last_failure_at=now)
            )
            return Verdict(True, ticket=str(slot))

    def release(self, account: str, tickets: list[str], now: float) -> None:
        """A success: drop its counted failures, reset the run, and clear out stale counts."""
        with db.engine.begin() as conn:
            if tickets:
                conn.execute(delete(_ATTEMPT).where(_ATTEMPT.c.id.in_([int(t) for t in tickets])))
            conn.execute(
                update(_STATE).where(_STATE.c.subject == account).values(streak=0, locked_until=0.0)
            )
            conn.execute(delete(_ATTEMPT).where(_ATTEMPT.c.at <= now - HOUR))
            stale = (_STATE.c.last_failure_at <= now - HOUR * 24) & (_STATE.c.locked_until <= now)
            conn.execute(delete(_STATE).where(stale))


# KEYS: address window, account state hash, account failure window.
# ARGV: now, member, address limit, address window, lockout after, first wait, longest wait,
#       failures per hour, forget after. Returns {reason or "ok", seconds as a string}.
_RESERVE = """
local now = tonumber(ARGV[1])
local function take(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return tostring(tonumber(oldest[2]) + window - now)
  end
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('EXPIRE', key, math.ceil(window) + 1)
  return nil
end
local address_limit = tonumber(ARGV[3])
if address_limit > 0 then
  local wait = take(KEYS[1], address_limit, tonumber(ARGV[4]))
  if wait then return {'address', wait} end
end
local locked = tonumber(redis.call('HGET', KEYS[2], 'locked_until') or '0')
if locked > now then return {'locked', tostring(locked - now)} end
local wait = take(KEYS[3], tonumber(ARGV[8]), 3600)
if wait then return {'hourly', wait} end
local forget = tonumber(ARGV[9])
local streak = tonumber(redis.call('HGET', KEYS[2], 'streak') or '0')
local last = tonumber(redis.call('HGET', KEYS[2], 'last_failure_at') or '0')
if last <= now - forget then streak = 0 end
streak = streak + 1
local after = tonumber(ARGV[5])
local until_ = 0
if streak >= after then
  local doublings = math.min(streak - after, 30)
  until_ = now + math.min(tonumber(ARGV[6]) * 2 ^ doublings, tonumber(ARGV[7]))
end
redis.call('HSET', KEYS[2], 'streak', streak, 'locked_until', tostring(until_),
           'last_failure_at', tostring(now))
redis.call('EXPIRE', KEYS[2], forget)
return {'ok', '0'}
"""


class RedisThrottleStore:
    """The same counts in Redis: sorted sets for windows, a hash per account, one Lua script."""

    def __init__(self, client, prefix: str):
        self.client = client
        self.prefix = prefix
        self._reserve = client.register_script(_RESERVE)

    def _keys(self, account: str, address: str) -> list[str]:
        return [
            f"{self.prefix}signin:{address}",
            f"{self.prefix}signin:{account}:state",
            f"{self.prefix}signin:{account}:failures",
        ]

    def reserve(self, account: str, address: str, rules: ThrottleRules, now: float) -> Verdict:
        """Run the script: it counts and decides atomically on the Redis server."""
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        args = [
            repr(now),
            member,
            rules.address_limit,
            rules.address_window,
            rules.lockout_after,
            rules.lockout_seconds,
            rules.lockout_max_seconds,
            rules.failures_per_hour,
            rules.forget_after,
        ]
        reason, seconds = self._reserve(keys=self._keys(account, address), args=args)
        reason = reason.decode() if isinstance(reason, bytes) else reason
        if reason != "ok":
            return Verdict.refuse(reason, float(seconds))
        return Verdict(True, ticket=member)

    def release(self, account: str, tickets: list[str], now: float) -> None:
        """Take the failures back and reset the run."""
        _address, state, failures = self._keys(account, "")
        pipe = self.client.pipeline()
        if tickets:
            pipe.zrem(failures, *tickets)
        pipe.hset(state, mapping={"streak": 0, "locked_until": "0"})
        pipe.expire(state, FORGET_STREAK_SECONDS)
        pipe.execute()
