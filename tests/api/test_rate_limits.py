"""Per-client rate limits on /api/v1: 429 problem+json with Retry-After."""

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
            "PUBLIC_RATE_LIMIT": "3/minute",
            "PARTNER_RATE_LIMIT": "5/minute",
        }
    )
    with limited.app_context():
        yield limited.test_client()


def _statuses(client, path: str, times: int, **kwargs) -> list[int]:
    return [client.get(path, **kwargs).status_code for _ in range(times)]


def test_anonymous_clients_share_one_budget_per_address(limited):
    assert _statuses(limited, "/api/v1/languages", 2) == [200, 200]
    # Another public route draws on the same budget.
    assert limited.get("/api/v1/vocabularies").status_code == 200
    refused = limited.get("/api/v1/plans")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert (body["status"], body["title"]) == (429, "Too Many Requests")
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["X-RateLimit-Limit"] == "3"
    other = {"REMOTE_ADDR": "192.0.2.7"}
    assert _statuses(limited, "/api/v1/languages", 3, environ_base=other) == [200] * 3


def test_headers_on_allowed_responses(limited):
    response = limited.get("/api/v1/languages")
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "2"


def test_matches_are_limited_too(limited):
    statuses = [limited.post("/api/v1/matches", json={"postal_code": "02116"}).status_code]
    statuses += _statuses(limited, "/api/v1/clinicians", 2)
    # The match may be refused as invalid; it still counts.
    assert statuses[0] in (200, 400) and statuses[1:] == [200, 200]
    refused = limited.post("/api/v1/matches", json={"postal_code": "02116"})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]


def test_api_keys_are_counted_per_key_with_their_own_limit(limited, make_api_key):
    key = make_api_key("Partner Practice", scopes=("directory:read",))
    auth = {"Authorization": f"Bearer {key}"}
    assert _statuses(limited, "/api/v1/languages", 5, headers=auth) == [200] * 5
    assert limited.get("/api/v1/languages", headers=auth).status_code == 429
    # The key's use does not spend the anonymous budget of the same address.
    assert limited.get("/api/v1/languages").status_code == 200


def test_an_invalid_key_counts_against_the_address(limited):
    bogus = {"Authorization": "Bearer bhd_000000000000_notarealkeynotarealkey"}
    assert _statuses(limited, "/api/v1/languages", 3, headers=bogus) == [200] * 3
    assert limited.get("/api/v1/languages").status_code == 429
