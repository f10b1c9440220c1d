"""/hsds shares the per-client budget of /api/v1; over it, a 429 problem+json."""

import pytest


@pytest.fixture
def limited(limited_client):
    """A second app with limits on (the shared test config turns them off); same database."""
    return limited_client(
        PUBLIC_RATE_LIMIT="2/minute",
    )


def test_hsds_is_limited_with_the_api(limited):
    assert limited.get("/hsds/services").status_code == 200
    assert limited.get("/api/v1/languages").status_code == 200
    refused = limited.get("/hsds/organizations")

    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
