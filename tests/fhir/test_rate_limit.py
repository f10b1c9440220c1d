"""/fhir shares the per-client budget of /api/v1; over it, a 429 OperationOutcome."""

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


def test_fhir_is_limited_with_the_api(limited):
    assert limited.get("/fhir/metadata").status_code == 200
    assert limited.get("/api/v1/languages").status_code == 200
    refused = limited.get("/fhir/Practitioner")
    assert refused.status_code == 429
    assert refused.mimetype == "application/fhir+json"
    outcome = refused.get_json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "throttled"
    assert int(refused.headers["Retry-After"]) > 0
