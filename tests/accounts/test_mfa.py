"""TOTP second factor: codes at the window boundaries, no reuse, enrolment, sign-in, recovery
codes, and REQUIRE_ADMIN_MFA."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from accounts.mfa import matching_step, recovery_hash
from accounts.models import RecoveryCode, User
from audit.models import AuditEvent
from tests.conftest import DEFAULT_PASSWORD

# RFC 6238 appendix B: the SHA-1 seed "12345678901234567890"; 6-digit codes are the last six
# digits of its 8-digit vectors. 1111111109 is the last second of time step 37037036.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_TIME, RFC_CODE, RFC_STEP = 1111111109, "081804", 37037036


@pytest.mark.parametrize(
    "now, step",
    [
        (1111111049, None),  # two steps later on the server's clock: too old
        (1111111050, RFC_STEP),  # the code's step is one ahead of the server: accepted
        (RFC_TIME, RFC_STEP),
        (1111111139, RFC_STEP),  # one step behind the server: still accepted
        (1111111140, None),  # two steps behind: refused
    ],
)
def test_a_code_is_good_one_step_either_side(now, step):
    assert matching_step(RFC_SECRET, RFC_CODE, now) == step


@pytest.mark.parametrize(
    "when, code", [(59, "287082"), (1234567890, "005924"), (2000000000, "279037")]
)
def test_rfc_6238_vectors(when, code):
    assert matching_step(RFC_SECRET, code, when) == when // 30


def test_a_code_is_never_accepted_twice_nor_an_older_one():
    assert matching_step(RFC_SECRET, RFC_CODE, RFC_TIME, after_step=RFC_STEP - 1) == RFC_STEP
    assert matching_step(RFC_SECRET, RFC_CODE, RFC_TIME, after_step=RFC_STEP) is None
    assert matching_step(RFC_SECRET, RFC_CODE, RFC_TIME, after_step=RFC_STEP + 1) is None


@pytest.mark.parametrize("code", ["81804", "0818040", "08 1804x", "", "abcdef"])
def test_malformed_codes_are_refused(code):
    assert matching_step(RFC_SECRET, code, RFC_TIME) is None


# --- Pages ----------------------------------------------------------------------------------


def enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol through the page: read the secret shown, confirm with a code; (totp, codes)."""
    page = client.get("/account/mfa").get_data(as_text=True)
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page).group(1)
    totp = pyotp.TOTP(secret)
    done = client.post("/account/mfa", data={"code": totp.now()})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(
        r"<code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>", done.get_data(as_text=True)
    )
    return totp, codes


def next_code(totp: pyotp.TOTP) -> str:
    """A code the server has not seen (the next step's, within the window)."""
    return totp.at(time.time(), counter_offset=1)


def test_enrolment_shows_the_secret_once_and_confirms_with_a_code(auth, client, db):
    user = auth.login_as("clinician", npi="1234567893")
    page = client.get("/account/mfa")
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    secret = re.search(r'id="mfa-secret">([A-Z2-7]{32})<', text).group(1)
    assert f"otpauth://totp/BH%20Directory:{user.email.replace('@', '%40')}?secret={secret}" in text
    wrong = client.post("/account/mfa", data={"code": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    assert not db.session.get(User, user.id).has_totp
    done = client.post("/account/mfa", data={"code": pyotp.TOTP(secret).now()})
    assert done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-9-]{19})</code>", done.get_data(as_text=True))
    assert len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert sorted(stored) == sorted(recovery_hash(c) for c in codes)
    assert db.session.get(User, user.id).totp_secret == secret
    assert "Two-step sign-in is on" in client.get("/account/mfa").get_data(as_text=True)


def test_signing_in_asks_for_the_code_after_the_password(auth, client, db, app):
    user = auth.login_as("pcp")
    totp, _codes = enrol(client)
    auth.logout()
    first = auth.login(user.email)
    assert first.headers["Location"] == "/login/code"
    waiting = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert client.get("/account").status_code == 302  # not signed in yet
    done = client.post("/login/code", data={"code": next_code(totp)})
    assert done.headers["Location"] == "/account"
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value != waiting
    assert client.get("/account").status_code == 200
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))
    ).all()
    assert actions[-2:] == ["login_password", "login"]


def test_a_used_code_does_not_work_again(auth, client):
    user = auth.login_as("pcp")
    totp, _ = enrol(client)
    code = next_code(totp)
    auth.logout()
    auth.login(user.email)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    auth.logout()
    auth.login(user.email)
    again = client.post("/login/code", data={"code": code})
    assert again.status_code == 200 and "That code is not right." in again.get_data(as_text=True)


def test_a_recovery_code_works_once(auth, client, app):
    user = auth.login_as("pcp")
    _, codes = enrol(client)
    auth.logout()
    auth.login(user.email)
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    auth.logout()
    auth.login(user.email)
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 200


def test_guessing_codes_is_throttled_and_the_password_does_not_reset_it(auth, client):
    user = auth.login_as("pcp")
    totp, _ = enrol(client)
    auth.logout()
    auth.login(user.email)  # one counted attempt until the code is right
    codes = [client.post("/login/code", data={"code": "123456"}).status_code for _ in range(4)]
    assert codes == [200] * 4
    # The 5th attempt in a row was the 4th code: now the password itself is refused.
    assert auth.login(user.email).status_code == 429
    assert client.post("/login/code", data={"code": next_code(totp)}).status_code == 429


def test_the_code_step_expires_after_five_minutes(auth, client):
    user = auth.login_as("pcp")
    totp, _ = enrol(client)
    auth.logout()
    auth.login(user.email)
    with client.session_transaction() as session:
        session["valid_until"] = int(time.time()) - 1
    response = client.post("/login/code", data={"code": next_code(totp)})
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(auth, client, db):
    user = auth.login_as("pcp")
    totp, _ = enrol(client)
    bad = client.post("/account/mfa/disable", data={"password": DEFAULT_PASSWORD, "code": "000000"})
    assert bad.status_code == 400 and db.session.get(User, user.id).has_totp
    good = client.post(
        "/account/mfa/disable", data={"password": DEFAULT_PASSWORD, "code": next_code(totp)}
    )
    assert good.status_code == 302
    assert not db.session.get(User, user.id).has_totp
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_flask_users_reset_mfa(auth, client, runner, db):
    user = auth.login_as("pcp")
    enrol(client)
    result = runner.invoke(args=["users", "reset-mfa", "--email", user.email])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert not db.session.get(User, user.id).has_totp
    assert client.get("/account").status_code == 302
    assert auth.login(user.email).headers["Location"] == "/account"


# --- REQUIRE_ADMIN_MFA=1 ----------------------------------------------------------------------


def test_admins_must_enrol_before_anything_else(app, auth, client):
    app.config["REQUIRE_ADMIN_MFA"] = True
    user = auth.create_user("admin")
    assert auth.login(user.email).headers["Location"] == "/account/mfa"
    for path in ("/admin/", "/account", "/account/password"):
        assert client.get(path).headers["Location"] == "/account/mfa", path
    api = client.get("/api/v1/referrals")
    assert api.status_code == 403 and "/account/mfa" in api.get_json()["detail"]
    enrol(client)
    assert client.get("/admin/").status_code == 200
    page = client.get("/account/mfa").get_data(as_text=True)
    assert "Administrators must keep it on." in page
    client.post("/account/mfa/disable", data={"password": DEFAULT_PASSWORD, "code": "000000"})
    assert "Administrators must keep it on." in client.get("/account/mfa").get_data(as_text=True)


def test_other_roles_and_api_keys_are_not_held(app, auth, client, make_api_key):
    app.config["REQUIRE_ADMIN_MFA"] = True
    auth.login_as("pcp")
    assert client.get("/account").status_code == 200
    key = make_api_key("Partner", scopes=("directory:read",))
    assert (
        client.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    )
