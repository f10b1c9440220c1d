"""Threat: guessing passwords (one account from many addresses, many accounts from one).

Limits, counted in storage every worker shares (the database, or Redis db 3):
- per account: the 5th failure in a row locks it for 1 minute, each further failure doubles the
  wait up to 15 minutes; the right password is refused while locked; a success ends the run;
- per account, at most 100 failures an hour whatever the addresses (successes in between do
  not reset it);
- per address: 30 sign-in POSTs a minute.
Unknown emails are counted and refused exactly like real ones: the page, the status and the
work done never say whether an account exists. Boundaries use a fixed clock.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from accounts.throttle import ThrottleRules, account_subject, address_subject
from accounts.throttle_store import DatabaseThrottleStore
from audit.models import AuditEvent
from directory.extensions import db
from tests.accounts.store_apps import ClientAuth
from tests.conftest import DEFAULT_PASSWORD

pytest_plugins = ("tests.accounts.stores",)  # store_app, store_auth, redis_app

T = 1_800_000_000.0  # a fixed clock
RULES = ThrottleRules(
    address_limit=30,
    address_window=60,
    lockout_after=5,
    lockout_seconds=60,
    lockout_max_seconds=900,
    failures_per_hour=100,
)
ACCOUNT = account_subject("someone@example.org", "test-secret-key")


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    """A throttle store on the test database, then on the test Redis."""
    if request.param == "database":
        return DatabaseThrottleStore()
    redis_app = request.getfixturevalue("redis_app")
    return redis_app.extensions["signin_throttle"].store


def _addr(n: int) -> str:
    return address_subject(f"198.51.100.{n % 250}")


def fail(store, at: float, n: int = 0, account: str = ACCOUNT):
    """One attempt that turns out wrong: the verdict it got."""
    return store.reserve(account, _addr(n), RULES, at)


def succeed(store, at: float, account: str = ACCOUNT):
    verdict = store.reserve(account, _addr(0), RULES, at)
    assert verdict.allowed, verdict
    store.release(account, [verdict.ticket], at)


@pytest.mark.parametrize(
    "streak, wait",
    [(1, 0), (4, 0), (5, 60), (6, 120), (7, 240), (8, 480), (9, 900), (10, 900), (500, 900)],
)
def test_the_wait_after_each_failure_in_a_row(streak, wait):
    assert RULES.lock_seconds(streak) == wait


def test_the_fifth_failure_is_tried_and_the_sixth_attempt_waits_a_minute(store):
    for n in range(1, 6):  # five addresses: the account is what is counted
        assert fail(store, T + n, n).allowed, n
    locked = fail(store, T + 5)
    assert (locked.allowed, locked.reason, locked.retry_after) == (False, "locked", 60)
    assert fail(store, T + 64.999).retry_after == 1
    sixth = fail(store, T + 65)  # the minute is over: one more try...
    assert sixth.allowed
    again = fail(store, T + 65)  # ...and then two minutes
    assert (again.reason, again.retry_after) == ("locked", 120)


def test_the_wait_doubles_and_stops_at_fifteen_minutes(store):
    at = T
    waits = []
    for _ in range(5):
        assert fail(store, at).allowed
    for _ in range(6):
        refused = fail(store, at)
        waits.append(refused.retry_after)
        at += refused.retry_after
        assert fail(store, at).allowed
    assert waits == [60, 120, 240, 480, 900, 900]


def test_a_success_ends_the_run_of_failures(store):
    for n in range(4):
        assert fail(store, T + n).allowed
    succeed(store, T + 10)
    for n in range(5):
        assert fail(store, T + 20 + n).allowed, n
    assert fail(store, T + 30).reason == "locked"


def test_a_run_is_forgotten_after_a_quiet_day(store):
    for n in range(4):
        assert fail(store, T + n).allowed
    later = T + 3 + 24 * 3600
    for n in range(5):
        assert fail(store, later + n).allowed, n
    assert fail(store, later + 5).reason == "locked"


def test_exactly_100_failures_an_hour_whatever_the_addresses(store):
    # The owner signs in after every 4 guesses, so the run never reaches a lockout; the
    # hourly cap still stops the guessing at 100.
    at = T
    for block in range(25):
        if block:
            succeed(store, at)
            at += 1
        for guess in range(4):
            assert fail(store, at, n=block * 4 + guess).allowed, (block, guess)
            at += 1
    capped = fail(store, at, n=7)  # the 101st failure in the hour: even the owner waits
    assert (capped.allowed, capped.reason) == (False, "hourly")
    assert capped.retry_after == int(T + 3600 - at)
    assert not fail(store, T + 3599.999).allowed
    assert fail(store, T + 3600).allowed  # the first guess has left the hour


def test_thirty_posts_a_minute_per_address(store):
    for n in range(30):
        verdict = store.reserve(account_subject(f"u{n}@example.org", "k"), _addr(1), RULES, T)
        assert verdict.allowed, n
    refused = store.reserve(account_subject("u31@example.org", "k"), _addr(1), RULES, T + 1)
    assert (refused.reason, refused.retry_after) == ("address", 59)
    assert store.reserve(ACCOUNT, _addr(2), RULES, T + 1).allowed  # another address
    assert store.reserve(ACCOUNT, _addr(1), RULES, T + 60).allowed  # the minute has passed


def test_concurrent_guesses_get_exactly_five_tries(request, store, app):
    if db.engine.dialect.name == "sqlite" and isinstance(store, DatabaseThrottleStore):
        pytest.skip("SQLite has one writer: attempts are serialized already")
    verdicts = []

    def guess():
        with app.app_context():
            verdicts.append(fail(store, T))

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(v.allowed for v in verdicts) == [False] * 7 + [True] * 5


# --- Through the sign-in page ---------------------------------------------------------------


def _post(client, email, password, address="203.0.113.7"):
    data = {"email": email, "password": password}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def _page_text(response, email):
    """The page with what legitimately differs (the email typed, the token) taken out."""
    text = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'(csrf[-_]token"[^>]*(?:value|content)=")[^"]*', r"\1", text)


def test_a_locked_account_refuses_the_right_password(store_app, store_auth):
    user = store_auth.create_user("pcp")
    client = store_auth.client
    for n in range(5):  # from five addresses
        response = _post(client, user.email, "wrong password here", f"203.0.113.{n}")
        assert response.status_code == 200
        assert "Invalid email or password." in response.get_data(as_text=True)
    locked = _post(client, user.email, DEFAULT_PASSWORD, "192.0.2.99")
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "60"
    assert "Too many sign-in attempts. Try again in 1 minute." in locked.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_an_unknown_email_gets_the_same_pages_and_the_same_work(app, auth, client, monkeypatch):
    import accounts.signin as signin

    hashed = []
    real = signin.check_password_hash
    monkeypatch.setattr(signin, "check_password_hash", lambda h, p: hashed.append(1) or real(h, p))
    monkeypatch.setattr("accounts.models.check_password_hash", signin.check_password_hash)
    real_user = auth.create_user("pcp", email="real.person@example.org")
    answers = {}
    for email in (real_user.email, "no.such.person@example.org"):
        hashed.clear()
        pages = [_post(client, email, "wrong password here") for _ in range(6)]
        answers[email] = [
            (p.status_code, p.headers.get("Retry-After"), _page_text(p, email)) for p in pages
        ]
        assert len(hashed) == 5, email  # one scrypt per counted try, none once locked
    assert answers[real_user.email] == answers["no.such.person@example.org"]
    assert [code for code, _, _ in answers[real_user.email]] == [200] * 5 + [429]


def test_every_sign_in_is_audited_without_the_email(auth, client):
    user = auth.create_user("pcp", email="audited.person@example.org")
    for _ in range(5):
        _post(client, user.email, "wrong password here")
    _post(client, user.email, DEFAULT_PASSWORD)  # locked: refused
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login").order_by(AuditEvent.id)
    ).all()
    assert [(e.outcome, e.actor, e.object_id) for e in events] == [
        ("denied", "anonymous", None)
    ] * 5 + [("blocked", "anonymous", None)]
    assert not any("audited" in repr(vars(e)) for e in events)


def test_a_successful_sign_in_in_redis_clears_the_run(redis_app):
    auth = ClientAuth(redis_app, redis_app.test_client())
    user = auth.create_user("pcp")
    for _ in range(4):
        _post(auth.client, user.email, "wrong password here")
    assert _post(auth.client, user.email, DEFAULT_PASSWORD).status_code == 302
    store = redis_app.extensions["signin_throttle"].store
    state = store.client.hgetall(
        f"{store.prefix}signin:{account_subject(user.email, 'test-secret-key')}:state"
    )
    assert state[b"streak"] == b"0"
