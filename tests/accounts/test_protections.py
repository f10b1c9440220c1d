"""CSRF, login rate limiting, open-redirect refusal and session timeouts."""

import re
import time

import pytest

from accounts.sessions import safe_next


def test_login_post_without_csrf_token_is_rejected(secure_auth, secure_client):
    user = secure_auth.create_user("pcp")
    response = secure_client.post("/login", data={"email": user.email, "password": "x" * 20})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    with secure_client.session_transaction() as session:
        assert "_user_id" not in session


def test_login_with_csrf_token_succeeds(secure_auth, secure_client):
    user = secure_auth.create_user("pcp")
    assert secure_auth.login(user.email).status_code == 302
    assert secure_client.get("/account").status_code == 200


def test_logout_without_csrf_token_keeps_the_session(secure_auth, secure_client):
    secure_auth.login_as("pcp")
    assert secure_client.post("/logout").status_code == 400
    assert secure_client.get("/account").status_code == 200
    assert secure_auth.logout().status_code == 302
    assert secure_client.get("/account").status_code == 302


def test_session_api_write_needs_csrf_but_bearer_does_not(secure_app, secure_auth, secure_client):
    """Cookie-authenticated POSTs under /api need the token; API-key requests cannot be forged."""
    secure_app.add_url_rule("/api/v1/_probe", "probe", lambda: {"ok": True}, methods=["POST"])
    secure_auth.login_as("pcp")
    response = secure_client.post("/api/v1/_probe")
    assert response.status_code == 400
    assert response.is_json
    bearer = secure_client.post("/api/v1/_probe", headers={"Authorization": "Bearer bhd_x_y"})
    assert bearer.status_code == 200
    page = secure_client.get("/account").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    with_header = secure_client.post("/api/v1/_probe", headers={"X-CSRFToken": token})
    assert with_header.status_code == 200


def test_login_is_rate_limited_per_address_and_email(secure_auth, secure_client):
    user = secure_auth.create_user("pcp")
    codes = [secure_auth.login(user.email, "wrong password!").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    # The right password does not get through either while the limit holds.
    assert secure_auth.login(user.email).status_code == 429
    # Another account from the same address is still allowed.
    other = secure_auth.create_user("pcp")
    assert secure_auth.login(other.email).status_code == 302


def test_login_page_get_is_not_rate_limited(secure_client):
    assert all(secure_client.get("/login").status_code == 200 for _ in range(8))


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example",
        "http://evil.example/account",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\tevil",
        "",
        None,
    ],
)
def test_unsafe_next_is_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/account", "/referrals/12?tab=events", "/"])
def test_relative_next_is_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil"])
def test_login_never_redirects_off_site(auth, target):
    user = auth.create_user("pcp")
    response = auth.login(user.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_login_follows_a_safe_next(auth):
    user = auth.create_user("pcp")
    response = auth.login(user.email, next="/account?from=test")
    assert response.headers["Location"] == "/account?from=test"


def _age_session(client, *, auth_ago: int, seen_ago: int) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        session["auth_at"] = now - auth_ago
        session["seen_at"] = now - seen_ago


def test_idle_session_ends_after_30_minutes(auth, client):
    auth.login_as("pcp")
    _age_session(client, auth_ago=40 * 60, seen_ago=31 * 60)
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_active_session_is_kept_and_marked_seen(auth, client):
    auth.login_as("pcp")
    _age_session(client, auth_ago=60 * 60, seen_ago=29 * 60)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60


def test_session_ends_after_12_hours_even_when_active(auth, client):
    auth.login_as("pcp")
    _age_session(client, auth_ago=12 * 3600 + 60, seen_ago=60)
    assert client.get("/account").status_code == 302


def test_session_without_timestamps_is_ended(auth, client):
    auth.login_as("pcp")
    with client.session_transaction() as session:
        del session["auth_at"]
    assert client.get("/account").status_code == 302


def test_session_cookie_flags(auth, client, app):
    user = auth.create_user("pcp")
    response = auth.login(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # permanent: bounded by PERMANENT_SESSION_LIFETIME
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 12 * 3600
