"""An app with CSRF and rate limiting switched on, as in production."""

import pytest

from app import create_app
from directory.extensions import db as _db
from tests.conftest import AuthActions, _test_config


@pytest.fixture
def secure_app(app, database_url, tmp_path):
    """Same database as `app` (which empties it afterwards), protections enabled."""
    config = _test_config(database_url, tmp_path)
    config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    secured = create_app(config)
    with secured.app_context():
        yield secured
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def secure_client(secure_app):
    """A client of the secured app."""
    return secure_app.test_client()


@pytest.fixture
def secure_auth(secure_app, secure_client):
    """Sign-in actions that fetch and send the CSRF token."""
    return AuthActions(secure_app, secure_client)
