"""Apps whose sessions and sign-in counts live in the local Redis (db 3), and cookie helpers.

The fixtures that use these are in tests/accounts/stores.py.
"""

from __future__ import annotations

import os

import pytest

from app import create_app
from tests.conftest import AuthActions, _test_config

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_or_skip():
    """A client of the test Redis, or skip the test."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"no Redis at {TEST_REDIS_URL}: {type(err).__name__}")
    return client


def redis_app_for(database_url, tmp_path, prefix: str, **overrides):
    """An app on the test database that keeps sessions and counts in the test Redis."""
    config = _test_config(database_url, tmp_path)
    config.update(SESSION_REDIS_URL=TEST_REDIS_URL, SESSION_REDIS_PREFIX=prefix)
    config.update(overrides)
    return create_app(config)


class ClientAuth(AuthActions):
    """AuthActions that also hand out their client."""

    @property
    def client(self):
        """The test client these actions sign in with."""
        return self._client


def twin(client, app):
    """A second client holding a copy of `client`'s session cookie (a stolen cookie)."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    if cookie is None:
        raise AssertionError("no session cookie to copy")
    other = app.test_client()
    other.set_cookie(name, cookie.value)
    return other
