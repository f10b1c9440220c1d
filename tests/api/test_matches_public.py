"""POST /api/v1/matches works for a partner sending plain JSON, with CSRF protection on."""

import pytest

from app import create_app
from directory.extensions import db as _db
from tests.conftest import _test_config


@pytest.fixture
def protected_client(app, database_url, tmp_path):
    """A client of an app with CSRF enabled, as in production."""
    config = _test_config(database_url, tmp_path)
    config.update(WTF_CSRF_ENABLED=True)
    protected = create_app(config)
    with protected.app_context():
        yield protected.test_client()
        _db.session.remove()
        _db.engine.dispose()


def test_matches_need_no_csrf_token(protected_client):
    response = protected_client.post("/api/v1/matches", json={"postal_code": "02139"})
    assert response.status_code == 200
    assert response.get_json()["total"] == 0


def test_session_forms_still_need_a_csrf_token(protected_client):
    response = protected_client.post("/login", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 400
