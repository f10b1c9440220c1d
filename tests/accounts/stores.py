"""Fixtures: the app with sessions and counts in the database, then in Redis (db 3).

A test module uses them with `pytest_plugins = ("tests.accounts.stores",)`; the Redis variants
skip, saying why, when no Redis answers at TEST_REDIS_URL.
"""

from __future__ import annotations

import uuid

import pytest

from directory.extensions import db as _db
from tests.accounts.store_apps import ClientAuth, redis_app_for, redis_or_skip


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the test Redis, deleted afterwards."""
    client = redis_or_skip()
    prefix = f"test-signin-{uuid.uuid4().hex[:10]}:"
    yield prefix
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def redis_app(redis_prefix, app, database_url, tmp_path):
    """The app with its sessions and sign-in counts in Redis."""
    redis_app = redis_app_for(database_url, tmp_path, redis_prefix)
    with redis_app.app_context():
        yield redis_app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(params=["database", "redis"])
def store_app(request, app):
    """The app with its sessions in the database, then again with them in Redis."""
    if request.param == "database":
        return app
    return request.getfixturevalue("redis_app")


@pytest.fixture
def store_auth(store_app):
    """Sign-in actions on a client of `store_app` (`.client`)."""
    return ClientAuth(store_app, store_app.test_client())
