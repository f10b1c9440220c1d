"""Rate limits on Redis: one round trip per request, the same counts, headers and refusals."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from limits.strategies import FixedWindowRateLimiter

from app import create_app
from edge.extensions import limiter
from edge.rate_window import OneCallFixedWindow
from tests.accounts.store_apps import TEST_REDIS_URL, redis_or_skip


def _limited_app(database_url: str, storage_uri: str, prefix: str = ""):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": storage_uri,
            # limits' own key prefix: Flask-Limiter keeps the first app's RATELIMIT_KEY_PREFIX.
            "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix} if prefix else {},
            "PUBLIC_RATE_LIMIT": "3/minute",
            "PARTNER_RATE_LIMIT": "5/minute",
        }
    )


@pytest.fixture
def prefix():
    """This test's own key prefix in the test Redis."""
    return f"test-limits-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def on_redis(app, database_url, prefix):
    """A test client of an app counting in the test Redis under a prefix of its own."""
    client = redis_or_skip()
    limited = _limited_app(database_url, TEST_REDIS_URL, prefix)
    with limited.app_context():
        yield limited.test_client()
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def redis_commands(monkeypatch):
    """The names of the Redis commands this process sends, in order."""
    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(str(args[0]).upper())
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


def test_a_counted_request_is_one_round_trip(on_redis, redis_commands):
    on_redis.get("/api/v1/languages")  # loads the script into Redis once
    redis_commands.clear()

    response = on_redis.get("/api/v1/languages")

    assert response.status_code == 200
    assert redis_commands == ["EVALSHA"]
    assert response.headers["X-RateLimit-Remaining"] == "1"


def test_counts_headers_and_refusal_as_before(on_redis):
    responses = [on_redis.get("/api/v1/languages") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Limit"] for r in responses] == ["3"] * 4
    assert [r.headers["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    refused = responses[-1]
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # The reset is the window's end as Redis keeps it (a minute from the first hit).
    assert 0 < int(refused.headers["X-RateLimit-Reset"]) - time.time() <= 61


def test_the_count_lives_in_redis_with_the_windows_expiry(on_redis, prefix):
    on_redis.get("/api/v1/languages")
    on_redis.get("/api/v1/vocabularies")  # the same shared budget

    client = redis.Redis.from_url(TEST_REDIS_URL)
    (key,) = client.scan_iter(f"{prefix}:*")
    assert b"ip:127.0.0.1" in key
    assert client.get(key) == b"2"
    assert 0 < client.ttl(key) <= 60
    client.close()


def test_other_storages_keep_the_stock_strategy(app, database_url):
    _limited_app(database_url, "memory://")

    assert type(limiter.limiter) is FixedWindowRateLimiter
    assert not isinstance(limiter.limiter, OneCallFixedWindow)
