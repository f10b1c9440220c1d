"""/fhir shares the per-client budget of /api/v1; over it, a 429 OperationOutcome."""

import pytest


@pytest.fixture
def limited(limited_client):
    """A second app with limits on (the shared test config turns them off); same database."""
    return limited_client(
        PUBLIC_RATE_LIMIT="2/minute",
    )


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
