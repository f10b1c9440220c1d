"""Where signed-in sessions live: the database by default, Redis when SESSION_REDIS_URL is set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, insert, select, update

from accounts.models import WebSession
from directory.extensions import db

_TABLE = WebSession.__table__


@dataclass(frozen=True)
class StoredSession:
    """A live session as stored: its user and its serialized data."""

    user_id: int
    data: str


class SessionStore(Protocol):
    """What the session interface needs from a store; keys are SHA-256 hex of cookie ids."""

    def load(self, key: str, now: float) -> StoredSession | None:
        """The session unless missing or expired (an expired one is deleted)."""

    def save(self, key: str, user_id: int, data: str, now: float, expires_at: float) -> None:
        """Create or replace the session, kept until `expires_at` at most."""

    def delete(self, key: str) -> None:
        """Forget the session."""

    def delete_for_user(self, user_id: int) -> int:
        """Forget every session of a user; returns how many there were."""

    def purge(self, now: float) -> int:
        """Delete expired sessions; returns how many."""


class DatabaseSessionStore:
    """Sessions in the web_session table, each call in a transaction of its own."""

    # Not in the request's db.session: the view owns that transaction, and a session write
    # must neither commit the view's pending changes nor be rolled back with them. Call it with
    # that transaction committed: on SQLite its write lock would hold this one off.

    def load(self, key: str, now: float) -> StoredSession | None:
        """The row unless expired; an expired row is deleted on the way."""
        with db.engine.begin() as conn:
            row = conn.execute(
                select(_TABLE.c.user_id, _TABLE.c.data, _TABLE.c.expires_at).where(
                    _TABLE.c.id == key
                )
            ).first()
            if row is None:
                return None
            if row.expires_at <= now:
                conn.execute(delete(_TABLE).where(_TABLE.c.id == key))
                return None
            return StoredSession(user_id=row.user_id, data=row.data)

    def save(self, key: str, user_id: int, data: str, now: float, expires_at: float) -> None:
        """Update the row, or insert it (a new session also clears out expired ones)."""
        if expires_at <= now:
            self.delete(key)
            return
        values = {"user_id": user_id, "data": data, "expires_at": expires_at}
        with db.engine.begin() as conn:
            changed = conn.execute(update(_TABLE).where(_TABLE.c.id == key).values(**values))
            if changed.rowcount == 0:
                conn.execute(delete(_TABLE).where(_TABLE.c.expires_at <= now))
                conn.execute(insert(_TABLE).values(id=key, created_at=now, **values))

    def delete(self, key: str) -> None:
        """Delete the row."""
        with db.engine.begin() as conn:
            conn.execute(delete(_TABLE).where(_TABLE.c.id == key))

    def delete_for_user(self, user_id: int) -> int:
        """Delete every row of the user."""
        with db.engine.begin() as conn:
            return conn.execute(delete(_TABLE).where(_TABLE.c.user_id == user_id)).rowcount

    def purge(self, now: float) -> int:
        """Delete every expired row."""
        with db.engine.begin() as conn:
            return conn.execute(delete(_TABLE).where(_TABLE.c.expires_at <= now)).rowcount


class RedisSessionStore:
    """Sessions as Redis keys that expire by themselves, with a set of keys per user."""

    def __init__(self, client, prefix: str, index_ttl_seconds: int):
        self.client = client
        self.prefix = prefix
        # A user's index outlives each of its sessions (none lasts past the absolute limit).
        self.index_ttl = index_ttl_seconds

    def _key(self, key: str) -> str:
        return f"{self.prefix}session:{key}"

    def _index(self, user_id: int) -> str:
        return f"{self.prefix}user-sessions:{user_id}"

    def load(self, key: str, now: float) -> StoredSession | None:
        """The session unless Redis has expired it (or its own deadline has passed)."""
        raw = self.client.get(self._key(key))
        if raw is None:
            return None
        stored = json.loads(raw)
        if stored["expires_at"] <= now:  # Redis expiry is to the millisecond; be exact anyway
            self.delete(key)
            return None
        return StoredSession(user_id=stored["user_id"], data=stored["data"])

    def save(self, key: str, user_id: int, data: str, now: float, expires_at: float) -> None:
        """SET with an absolute expiry, and note the key in the user's index."""
        if expires_at <= now:
            self.delete(key)
            return
        value = json.dumps({"user_id": user_id, "data": data, "expires_at": expires_at})
        pipe = self.client.pipeline()
        pipe.set(self._key(key), value, pxat=int(expires_at * 1000))
        pipe.sadd(self._index(user_id), key)
        pipe.expire(self._index(user_id), self.index_ttl)
        pipe.execute()

    def delete(self, key: str) -> None:
        """Delete the key and take it out of its user's index."""
        raw = self.client.getdel(self._key(key))
        if raw is not None:
            self.client.srem(self._index(json.loads(raw)["user_id"]), key)

    def delete_for_user(self, user_id: int) -> int:
        """Delete every key in the user's index, then the index."""
        members = self.client.smembers(self._index(user_id))
        keys = [k.decode() if isinstance(k, bytes) else k for k in members]
        pipe = self.client.pipeline()
        for key in keys:
            pipe.delete(self._key(key))
        pipe.delete(self._index(user_id))
        results = pipe.execute()
        return sum(results[:-1])

    def purge(self, now: float) -> int:
        """Nothing to do: Redis expires the keys itself."""
        return 0


def redis_client(url: str):
    """A Redis client for `url` that fails fast rather than hang a request."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def make_session_store(config, redis=None) -> SessionStore:
    """Redis when a client is given, else the database."""
    if redis is None:
        return DatabaseSessionStore()
    index_ttl = int(config["SESSION_MAX_HOURS"]) * 3600 + 60
    return RedisSessionStore(redis, config["SESSION_REDIS_PREFIX"], index_ttl)
