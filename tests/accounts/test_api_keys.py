"""API keys: issued by the CLI, stored hashed, used as Bearer tokens with scopes enforced."""

import pytest
from sqlalchemy import select

from accounts.keys import hash_key
from accounts.models import ApiKey
from directory.models import Organization
from tests.accounts.probes import mount_probes


@pytest.fixture
def probes(app):
    mount_probes(app)
    return app


def _bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_cli_prints_the_key_alone_on_the_last_line_and_stores_its_hash(runner, db):
    db.session.add(Organization(name="Partner EHR", kind="bh_practice"))
    db.session.commit()
    result = runner.invoke(
        args=["apikeys", "create", "--org", "Partner EHR", "--scopes", "directory:read"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    key = lines[-1]
    assert key.startswith("bhd_") and " " not in key
    assert result.output.count(key) == 1
    row = db.session.scalar(select(ApiKey))
    assert row.secret_hash == hash_key(key)
    assert key not in (row.secret_hash, row.prefix)
    assert key.split("_")[1] == row.prefix
    assert row.scopes == ["directory:read"]


def test_cli_refuses_unknown_scopes_and_unknown_orgs(runner, db):
    db.session.add(Organization(name="Partner EHR", kind="bh_practice"))
    db.session.commit()
    bad_scope = runner.invoke(
        args=["apikeys", "create", "--org", "Partner EHR", "--scopes", "directory:read,root"]
    )
    assert bad_scope.exit_code != 0
    assert "unknown scope" in bad_scope.output
    no_org = runner.invoke(args=["apikeys", "create", "--org", "Nobody", "--scopes", "x"])
    assert no_org.exit_code != 0
    assert db.session.scalar(select(ApiKey)) is None


def test_key_works_as_bearer_within_its_scopes(probes, client, make_api_key):
    key = make_api_key("Partner EHR", "directory:read,referrals:read")
    ok = client.get("/api/v1/_probe/referrals_read", headers=_bearer(key))
    assert ok.status_code == 200
    assert ok.json["kind"] == "api_key"
    assert ok.json["role"] == "partner"
    assert ok.json["label"].startswith("apikey:")
    denied = client.post("/api/v1/_probe/referrals_write", headers=_bearer(key))
    assert denied.status_code == 403
    assert denied.json["status"] == 403
    assert 'error="insufficient_scope"' in denied.headers["WWW-Authenticate"]


def test_missing_or_wrong_key_gets_401_with_a_challenge(probes, client, make_api_key):
    key = make_api_key("Partner EHR", "directory:read")
    missing = client.get("/api/v1/_probe/directory_read")
    assert missing.status_code == 401
    assert missing.json["message"] == "authentication required"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    tampered = key[:-2] + ("AA" if not key.endswith("AA") else "BB")
    wrong = client.get("/api/v1/_probe/directory_read", headers=_bearer(tampered))
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    other_scheme = client.get("/api/v1/_probe/any", headers={"Authorization": f"Basic {key}"})
    assert other_scheme.status_code == 401


def test_revoked_key_is_refused(probes, client, runner, make_api_key, db):
    key = make_api_key("Partner EHR", "directory:read")
    assert client.get("/api/v1/_probe/any", headers=_bearer(key)).status_code == 200
    prefix = key.split("_")[1]
    result = runner.invoke(args=["apikeys", "revoke", prefix])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(ApiKey)).revoked_at is not None
    assert client.get("/api/v1/_probe/any", headers=_bearer(key)).status_code == 401


def test_key_use_is_noted_even_when_the_request_commits_nothing(probes, client, make_api_key, db):
    key = make_api_key("Partner EHR", "directory:read")
    client.get("/api/v1/_probe/any", headers=_bearer(key))
    # The request's own session wrote nothing: the note was committed on its own.
    db.session.rollback()
    assert db.session.scalar(select(ApiKey)).last_used_at is not None


def test_a_key_request_leaves_no_pending_write_in_the_session(probes, client, make_api_key, db):
    key = make_api_key("Partner EHR", "directory:read")
    client.get("/api/v1/_probe/any", headers=_bearer(key))
    assert not db.session.dirty


def test_bearer_header_wins_over_a_session_cookie(probes, client, auth, make_api_key):
    auth.login_as("admin")
    assert client.get("/api/v1/_probe/referrals_write").status_code == 200
    key = make_api_key("Partner EHR", "directory:read")
    as_key = client.get("/api/v1/_probe/referrals_write", headers=_bearer(key))
    assert as_key.status_code == 403
    bad = client.get("/api/v1/_probe/any", headers=_bearer("bhd_000000000000_nope"))
    assert bad.status_code == 401


def test_pages_redirect_anonymous_callers_to_login(probes, client):
    response = client.get("/_probe")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/_probe"


def test_keys_list_never_shows_keys(runner, make_api_key):
    key = make_api_key("Partner EHR", "directory:read")
    result = runner.invoke(args=["apikeys", "list"])
    assert result.exit_code == 0
    assert key.split("_")[1] in result.output
    assert key not in result.output
