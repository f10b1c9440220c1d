"""/account/password and `flask users set-password`."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import User, WebSession
from audit.models import AuditEvent
from tests.conftest import DEFAULT_PASSWORD

NEW = "a brand new passphrase here"


def change(client, current=DEFAULT_PASSWORD, new=NEW, confirm=None, **extra):
    data = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return client.post("/account/password", data={**data, **extra})


def _actions(db, action):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
    return [(e.outcome, e.object_id) for e in events]


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/account/password")
    assert response.headers["Location"] == "/login?next=/account/password"


def test_changing_the_password(auth, client, db):
    user = auth.login_as("pcp")
    assert "Change your password" in client.get("/account/password").get_data(as_text=True)
    response = change(client)
    assert (response.status_code, response.headers["Location"]) == (302, "/account")
    stored = db.session.get(User, user.id)
    assert stored.check_password(NEW) and not stored.check_password(DEFAULT_PASSWORD)
    assert _actions(db, "password_change") == [("ok", str(user.id))]
    auth.logout()
    assert auth.login(user.email).status_code == 200
    assert auth.login(user.email, NEW).status_code == 302


def test_the_current_password_must_be_right(auth, client, db):
    user = auth.login_as("pcp")
    response = change(client, current="not my password at all")
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(DEFAULT_PASSWORD)
    assert _actions(db, "password_change") == [("denied", str(user.id))]


def test_guessing_the_current_password_is_throttled_like_sign_in(auth, client):
    auth.login_as("pcp")
    codes = [change(client, current=f"guess number {n}").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]
    assert change(client).status_code == 429  # the right one waits too


def test_the_new_password_follows_the_policy(auth, client, db):
    user = auth.login_as("pcp", email="dana.smith@clinic.example")
    cases = {
        "short one": "at least 12 characters",
        "qwerty123456": "breached or common",
        "dana smith rocks!": "built on your email",
    }
    for new, message in cases.items():
        response = change(client, new=new)
        assert response.status_code == 400, new
        assert message in response.get_data(as_text=True), new
    same = change(client, new=DEFAULT_PASSWORD)
    assert "Choose a password you have not been using." in same.get_data(as_text=True)
    differ = change(client, confirm=NEW + "!")
    assert differ.status_code == 400 and "The new passwords differ." in differ.get_data(
        as_text=True
    )
    assert db.session.get(User, user.id).check_password(DEFAULT_PASSWORD)


def test_the_form_needs_its_csrf_token(secure_auth, secure_client):
    secure_auth.login_as("pcp")
    assert change(secure_client).status_code == 400
    token = secure_auth.csrf_token("/account/password")
    assert change(secure_client, csrf_token=token).status_code == 302


# --- flask users set-password ------------------------------------------------------------


def _set(runner, email, *flags, password=NEW):
    return runner.invoke(args=["users", "set-password", "--email", email, *flags], input=password)


def test_set_password_is_temporary_by_default_and_ends_sessions(auth, client, runner, db):
    user = auth.login_as("pcp")
    result = _set(runner, user.email.upper())
    assert result.exit_code == 0, result.output
    assert "(to be changed at the next sign-in); 1 session(s) ended" in result.output
    assert NEW not in result.output
    assert client.get("/account").status_code == 302
    stored = db.session.get(User, user.id)
    assert stored.check_password(NEW) and stored.must_change_password
    assert auth.login(user.email, NEW).headers["Location"] == "/account/password"
    assert _actions(db, "password_set") == [("ok", str(user.id))]


def test_set_password_final(auth, runner, db):
    user = auth.create_user("pcp")
    assert _set(runner, user.email, "--final").exit_code == 0
    assert db.session.get(User, user.id).must_change_password is False
    assert auth.login(user.email, NEW).headers["Location"] == "/account"


def test_set_password_refuses_bad_passwords_and_unknown_users(auth, runner, db):
    user = auth.create_user("pcp")
    weak = _set(runner, user.email, password="password1234\n")
    assert weak.exit_code != 0 and "breached or common" in weak.output
    assert db.session.get(User, user.id).check_password(DEFAULT_PASSWORD)
    unknown = _set(runner, "nobody@example.org")
    assert unknown.exit_code != 0 and "no user with that email" in unknown.output


def test_a_changed_password_leaves_no_other_rows(auth, client, db, app):
    user = auth.login_as("pcp")
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 2
    change(client)
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 1
