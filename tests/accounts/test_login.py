"""Signing in and out through the real forms."""

from sqlalchemy import select

from accounts.models import User
from audit.models import AuditEvent
from tests.conftest import DEFAULT_PASSWORD


def test_password_is_stored_hashed(auth, db):
    user = auth.create_user("pcp", email="Pat@Example.org")
    stored = db.session.scalar(select(User).where(User.id == user.id))
    assert stored.email == "pat@example.org"
    assert DEFAULT_PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith("scrypt:")
    assert stored.check_password(DEFAULT_PASSWORD)
    assert not stored.check_password(DEFAULT_PASSWORD + "x")


def test_an_app_not_told_otherwise_stores_full_cost_scrypt(app):
    from accounts.models import User as Account

    app.config.pop("PASSWORD_HASH_METHOD")
    user = Account(email="x@example.org")
    user.set_password(DEFAULT_PASSWORD)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password(DEFAULT_PASSWORD)


def test_the_suite_lowers_the_cost_only_through_its_own_config(app):
    from accounts.models import User as Account

    user = Account(email="y@example.org")
    user.set_password(DEFAULT_PASSWORD)
    assert user.password_hash.startswith("scrypt:1024:8:1$")


def test_login_success_sets_session_and_redirects(auth, client, db):
    user = auth.create_user("pcp")
    response = auth.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id)
        assert session["auth_at"] == session["seen_at"]
    page = client.get("/account")
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
    assert db.session.get(User, user.id).last_login_at is not None


def test_login_is_case_insensitive_on_email(auth):
    user = auth.create_user("pcp", email="casey@example.org")
    assert auth.login("CASEY@example.org").status_code == 302
    assert user.id


def test_wrong_password_is_refused_and_audited(auth, client, db):
    user = auth.create_user("pcp")
    response = auth.login(user.email, "not the right password")
    assert response.status_code == 200
    assert "Invalid email or password" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/account").status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).all()
    assert [(e.outcome, e.object_id, e.actor) for e in events] == [("denied", None, "anonymous")]


def test_unknown_email_gets_the_same_answer(auth):
    response = auth.login("nobody@example.org")
    assert response.status_code == 200
    assert "Invalid email or password" in response.get_data(as_text=True)


def test_inactive_user_cannot_sign_in_and_loses_the_session(auth, client, db):
    user = auth.login_as("pcp")
    assert client.get("/account").status_code == 200
    db.session.get(User, user.id).active = False
    db.session.commit()
    assert client.get("/account").status_code == 302
    assert auth.login(user.email).status_code == 200


def test_logout_ends_the_session(auth, client, db):
    user = auth.login_as("clinician", npi="1234567893")
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["login", "logout"]
    assert user.id


def test_logout_by_get_is_not_allowed(auth, client):
    auth.login_as("pcp")
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_login_page_is_labelled(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<label for="email">' in page and 'id="email"' in page
    assert '<label for="password">' in page and 'id="password"' in page


def test_pages_redirect_to_login_with_next(client):
    response = client.get("/account?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"


def test_no_email_or_password_in_application_logs(auth, caplog):
    user = auth.create_user("pcp", email="private.person@example.org")
    with caplog.at_level("DEBUG"):
        auth.login(user.email, "a wrong password here")
        auth.login("someone.else@example.org", "another wrong one")
        auth.login(user.email)
    text = caplog.text
    for secret in ("private.person", "someone.else", "a wrong password", DEFAULT_PASSWORD):
        assert secret not in text
