"""Threat: a session cookie that outlives its session.

A cookie copied from a browser (a shared computer, a proxy log, malware) must stop working the
moment its owner signs out, changes their password or is deactivated, and once it is idle 30
minutes or 12 hours old, whatever the cookie says: sessions live on the server (the database,
or Redis), the cookie holds only a random id. Signing in always gets a new id (no fixation).
Visitors who never sign in (patients, API callers) leave nothing on the server.
Each test runs with the database store and again with Redis (db 3; skipped if unreachable).
"""

from __future__ import annotations

import time

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select, update

from accounts.models import User, WebSession
from accounts.server_session import store_key
from accounts.session_store import DatabaseSessionStore, RedisSessionStore
from directory.extensions import db
from tests.accounts.store_apps import TEST_REDIS_URL, ClientAuth, redis_app_for, twin
from tests.clock import UNDER_FAKETIME
from tests.conftest import DEFAULT_PASSWORD
from tests.web.seed_directory import PLAN_ID, ZIP, seed_directory

pytest_plugins = ("tests.accounts.stores",)  # store_app, store_auth, redis_app


def stored_sessions(app) -> int:
    """How many sessions the app's store holds."""
    store = app.extensions["session_store"]
    if isinstance(store, RedisSessionStore):
        return sum(1 for _ in store.client.scan_iter(f"{store.prefix}session:*"))
    return db.session.scalar(select(func.count()).select_from(WebSession))


def session_id(client, app) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def test_a_cookie_copied_before_sign_out_does_not_work_after_it(store_app, store_auth):
    store_auth.login_as("pcp")
    thief = twin(store_auth.client, store_app)
    assert thief.get("/account").status_code == 200  # the copy works while the session lives
    assert store_auth.logout().status_code == 302
    response = thief.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"
    assert stored_sessions(store_app) == 0


def test_the_copy_gets_nothing_from_the_api_either(store_app, store_auth):
    store_auth.login_as("pcp")
    thief = twin(store_auth.client, store_app)
    assert thief.get("/api/v1/referrals").status_code == 200
    store_auth.logout()
    assert thief.get("/api/v1/referrals").status_code == 401


def test_signing_in_gets_a_new_id_and_the_old_one_dies(store_app, store_auth):
    first = store_auth.create_user("pcp")
    second = store_auth.create_user("pcp")
    store_auth.login(first.email)
    before = twin(store_auth.client, store_app)
    old_id = session_id(store_auth.client, store_app)
    store_auth.login(second.email)  # the same browser signs in again
    assert session_id(store_auth.client, store_app) != old_id
    assert before.get("/account").status_code == 302
    assert second.email in store_auth.client.get("/account").get_data(as_text=True)
    assert stored_sessions(store_app) == 1


def test_a_planted_id_is_never_adopted(store_app, store_auth):
    user = store_auth.create_user("pcp")
    planted = "attacker-chosen-session-id-0000000000000000"
    store_auth.client.set_cookie(store_app.config["SESSION_COOKIE_NAME"], planted)
    assert store_auth.login(user.email).status_code == 302
    assert session_id(store_auth.client, store_app) != planted


def test_a_password_change_ends_the_other_sessions(store_app, store_auth):
    user = store_auth.login_as("pcp")
    laptop = store_app.test_client()
    laptop.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    copied = twin(store_auth.client, store_app)
    response = store_auth.client.post(
        "/account/password",
        data={
            "current_password": "correct horse battery staple",
            "new_password": "a brand new passphrase here",
            "confirm_password": "a brand new passphrase here",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 302  # another browser: signed out
    assert copied.get("/account").status_code == 302  # this browser's old id: dead too
    assert store_auth.client.get("/account").status_code == 200  # this browser goes on
    assert stored_sessions(store_app) == 1


def test_deactivating_a_user_deletes_their_sessions(store_app, store_auth):
    user = store_auth.login_as("pcp")
    admin = store_app.test_client()
    admin_user = store_auth.create_user("admin")
    admin.post("/login", data={"email": admin_user.email, "password": DEFAULT_PASSWORD})
    assert stored_sessions(store_app) == 2
    admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert stored_sessions(store_app) == 1
    assert store_auth.client.get("/account").status_code == 302


@pytest.mark.parametrize("seen_ago, kept", [(29 * 60 + 50, True), (30 * 60, False)])
def test_the_store_refuses_an_idle_session_at_30_minutes(store_app, store_auth, seen_ago, kept):
    store_auth.login_as("pcp")
    now = int(time.time())
    with store_auth.client.session_transaction() as session:
        session["seen_at"] = now - seen_ago
    expected = 200 if kept else 302
    assert store_auth.client.get("/account").status_code == expected


def test_an_expired_row_is_refused_and_deleted_whatever_the_cookie(app, auth, client):
    auth.login_as("pcp")
    db.session.execute(update(WebSession).values(expires_at=time.time() - 1))
    db.session.commit()
    assert client.get("/account").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 0


def _store(app):
    return app.extensions["session_store"]


def test_store_boundary_the_deadline_itself_is_expired(store_app, store_auth):
    user = store_auth.create_user("pcp")
    store = _store(store_app)
    now = time.time()
    store.save("k" * 64, user.id, "{}", now, now + 100)
    assert store.load("k" * 64, now + 99.999) is not None
    assert store.load("k" * 64, now + 100) is None
    assert store.load("k" * 64, now) is None  # refused once: deleted, not just hidden


def test_old_rows_are_deleted_when_a_session_starts(app, auth):
    user = auth.create_user("pcp")
    store = DatabaseSessionStore()
    now = time.time()
    store.save("a" * 64, user.id, "{}", now - 7200, now - 3600)  # written two hours ago
    auth.login(user.email)
    ids = db.session.scalars(select(WebSession.id)).all()
    assert len(ids) == 1 and ids[0] != "a" * 64


def test_the_cookie_holds_only_an_id_and_the_store_only_its_hash(app, auth, client):
    auth.login_as("pcp")
    value = session_id(client, app)
    assert "." not in value and len(value) >= 43  # 32 random bytes, no data, no signature
    stored = db.session.scalars(select(WebSession.id)).all()
    assert stored == [store_key(value)] and value not in stored[0]


def test_a_signed_cookie_naming_a_user_signs_nobody_in(app, auth, client):
    """Sessions from before this change (or forged with a leaked key) carry no sign-in."""
    user = auth.create_user("admin")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = serializer.dumps({"_user_id": str(user.id), "_fresh": True, "auth_at": 1e10})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    response = client.get("/account")
    assert response.status_code == 302
    assert db.session.get(User, user.id).last_login_at is None


def test_patients_and_api_callers_leave_nothing_on_the_server(store_app, make_api_key):
    seed_directory()
    visitor = store_app.test_client()
    assert visitor.get("/find").status_code == 200
    found = visitor.post("/find", data={"postal_code": ZIP, "plan": PLAN_ID}, follow_redirects=True)
    assert found.status_code == 200 and found.request.path.startswith("/find/results/")
    assert visitor.get("/login").status_code == 200
    key = make_api_key("Partner Practice", scopes=("directory:read",))
    partner = store_app.test_client()
    api = partner.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200
    assert "Set-Cookie" not in api.headers
    assert partner.get("/api/v1/plans").status_code == 200
    assert stored_sessions(store_app) == 0


def test_a_form_token_for_a_visitor_lives_in_their_cookie(app, client):
    client.get("/login")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and "." in cookie.value  # Flask's signed cookie
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 0


def test_an_unreachable_redis_signs_nobody_in_and_serves_no_error(app, database_url, tmp_path):
    broken = redis_app_for(database_url, tmp_path, "x:", SESSION_REDIS_URL="redis://127.0.0.1:1/0")
    with broken.app_context():
        client = broken.test_client()
        client.set_cookie(broken.config["SESSION_COOKIE_NAME"], "x" * 43)
        response = client.get("/account")
        assert response.status_code == 302
        # Nor can anyone sign in while the counts are out of reach: 503, never a 500.
        signin = client.post("/login", data={"email": "a@example.org", "password": "x" * 12})
        assert signin.status_code == 503
        assert "Signing in is unavailable just now." in signin.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


@pytest.mark.skipif(UNDER_FAKETIME, reason="Redis counts the key's expiry on its own clock")
def test_redis_keys_expire_by_themselves(redis_app):
    auth = ClientAuth(redis_app, redis_app.test_client())
    auth.login_as("pcp")
    store = _store(redis_app)
    key = store_key(session_id(auth.client, redis_app))
    ttl_ms = store.client.pttl(f"{store.prefix}session:{key}")
    # Fresh sign-in: the idle limit (30 minutes) comes first.
    assert 29 * 60 * 1000 < ttl_ms <= 30 * 60 * 1000
    assert TEST_REDIS_URL.endswith("/3")


def test_static_files_do_not_read_the_store(app, auth, client, monkeypatch):
    auth.login_as("pcp")
    reads = []
    store = app.extensions["session_store"]
    real = store.load
    monkeypatch.setattr(store, "load", lambda *a: reads.append(a) or real(*a))
    assert client.get("/static/css/site.css").status_code == 200
    assert reads == []
    assert client.get("/account").status_code == 200
    assert len(reads) == 1
