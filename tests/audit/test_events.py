"""Events name the client address and, for refused sign-ins, the account tried, never the email."""

import hmac

import pytest
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from accounts.signin import account_ref
from audit.keys import forget_keyring, keyring
from audit.log import record
from audit.models import AuditEvent


def _refused_logins(db):
    stmt = select(AuditEvent).where(AuditEvent.action == "login", AuditEvent.outcome == "denied")
    return db.session.scalars(stmt.order_by(AuditEvent.id)).all()


def _email_ref(email: str) -> str:
    subkey_mac = keyring().current.mac("account", email.encode())
    return "email-hmac:" + subkey_mac[:32]


def test_a_request_records_its_client_address(app, db):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "198.51.100.4"}):
        event = record(None, "read", "referral", 1)
    assert (event.client_addr, event.actor) == ("198.51.100.4", "anonymous")


def test_the_cli_and_jobs_record_no_address(db):
    event = record(None, "create", "api_key", 1)
    assert (event.client_addr, event.actor, event.account_ref) == (None, "system", None)


def test_an_overlong_address_is_cut_to_64_characters(app, db):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "f" * 80}):
        assert record(None, "read", "referral", 1).client_addr == "f" * 64


def test_a_refused_sign_in_names_the_user_id_tried(auth, db):
    user = auth.create_user("pcp", email="dana@example.org")
    auth.login("  Dana@Example.org ", "wrong password")
    [event] = _refused_logins(db)
    assert (event.account_ref, event.object_id, event.client_addr) == (
        f"user:{user.id}",
        None,
        "127.0.0.1",
    )


def test_an_unknown_email_is_recorded_as_a_keyed_hash_never_the_email(auth, db):
    auth.login("Nobody@Example.org", "whatever password")
    auth.login("nobody@example.org ", "another password")
    auth.login("someone.else@example.org", "whatever password")
    refs = [event.account_ref for event in _refused_logins(db)]
    assert refs[0] == refs[1] == _email_ref("nobody@example.org")
    assert refs[2] == _email_ref("someone.else@example.org") != refs[0]
    assert len(refs[0]) == len("email-hmac:") + 32
    every_value = " ".join(str(v) for e in _refused_logins(db) for v in vars(e).values())
    assert "nobody" not in every_value.lower() and "example.org" not in every_value


def test_the_email_hash_is_keyed_not_a_plain_digest(app, db):
    ref = account_ref("nobody@example.org")
    mac = hmac.new(b"guess", b"nobody@example.org", "sha256").hexdigest()[:32]
    assert ref == _email_ref("nobody@example.org") and ref != f"email-hmac:{mac}"
    app.config["AUDIT_KEY"] = "ab" * 32
    forget_keyring(app)
    assert account_ref("nobody@example.org") != ref  # another key, another reference


def test_behind_proxyfix_the_forwarded_address_is_recorded(app, auth, client, db):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong password"},
        headers={"X-Forwarded-For": "203.0.113.50"},
    )
    assert [event.client_addr for event in _refused_logins(db)] == ["203.0.113.50"]


def test_an_email_is_never_accepted_as_the_account(db):
    with pytest.raises(ValueError, match="never an email"):
        record(None, "login", "user", None, outcome="denied", account="pat@example.org")
