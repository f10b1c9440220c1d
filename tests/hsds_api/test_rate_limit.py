"""/hsds shares the per-client budget of /api/v1; over it, a 429 problem+json."""

import pytest

from app import create_app


@pytest.fixture
def limited(app, database_url):
    """A second app with limits on (the shared test config turns them off); same database."""
    limited = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLIC_RATE_LIMIT": "2/minute",
        }
    )
    with limited.app_context():
        yield limited.test_client()


def test_hsds_is_limited_with_the_api(limited):
    assert limited.get("/hsds/services").status_code == 200
    assert limited.get("/api/v1/languages").status_code == 200
    refused = limited.get("/hsds/organizations")

    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
