"""Consent links are rate limited per address: guessing tokens runs out of tries."""

import pytest

from app import create_app


@pytest.fixture
def limited(app, database_url):
    """A second app with limits on (the shared test config turns them off); same database."""
    limited = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "AUDIT_KEY": "0123456789abcdef" * 4,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "ECONSENT_RATE_LIMIT": "3/hour",
        }
    )
    with limited.app_context():
        yield limited.test_client()


def test_the_fourth_try_in_an_hour_is_refused(limited):
    tries = [limited.get(f"/consent/guess{n}").status_code for n in range(3)]
    tries.append(limited.post("/consent/guess4/sign", data={"signature": "A B"}).status_code)
    assert tries == [404, 404, 404, 429]
