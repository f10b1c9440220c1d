"""Sign-in throttling: per-address rate, per-account lockout with backoff, an hourly cap.

Counts live in shared storage (Redis when SESSION_REDIS_URL is set, else the database), so
every worker sees the same numbers. An attempt is counted as a failure when it starts and taken
back if it succeeds, so concurrent attempts cannot slip past a limit while passwords are being
checked. Accounts are named by a keyed hash of the email typed, whether or not such an account
exists: an unknown email is locked out exactly like a real one, and no email is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import parse

log = logging.getLogger(__name__)
HOUR = 3600
# Without its counts the throttle cannot decide: sign-in waits (fails closed) this long.
UNAVAILABLE_RETRY_SECONDS = 30
# After a day without failures an account's run of failures starts again from zero.
FORGET_STREAK_SECONDS = 24 * HOUR


@dataclass(frozen=True)
class ThrottleRules:
    """The limits, read from the configuration."""

    address_limit: int  # sign-in POSTs per address per window; 0: not limited
    address_window: int  # seconds
    lockout_after: int  # failures in a row before the account waits
    lockout_seconds: int  # the first wait; doubled per further failure
    lockout_max_seconds: int
    failures_per_hour: int  # per account, whatever the addresses
    forget_after: int = FORGET_STREAK_SECONDS

    def lock_seconds(self, streak: int) -> int:
        """How long the account waits after its `streak`-th failure in a row (0: no wait)."""
        if streak < self.lockout_after:
            return 0
        doublings = min(streak - self.lockout_after, 30)
        return min(self.lockout_seconds * 2**doublings, self.lockout_max_seconds)


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go ahead; if not, why and for how many seconds."""

    allowed: bool
    reason: str | None = None  # "address" | "locked" | "hourly" | "unavailable"
    retry_after: int = 0
    ticket: str | None = None  # names the counted failure, taken back on success

    @classmethod
    def refuse(cls, reason: str, seconds: float) -> Verdict:
        """A refusal, waiting at least one second."""
        return cls(False, reason, max(1, math.ceil(seconds)))


def rules_from(config) -> ThrottleRules:
    """The rules in `config` (the per-address limit is off when RATELIMIT_ENABLED is false)."""
    address = parse(config["LOGIN_IP_RATE_LIMIT"])
    enabled = config.get("RATELIMIT_ENABLED", True)
    return ThrottleRules(
        address_limit=address.amount if enabled else 0,
        address_window=address.get_expiry(),
        lockout_after=config["SIGNIN_LOCKOUT_AFTER"],
        lockout_seconds=config["SIGNIN_LOCKOUT_SECONDS"],
        lockout_max_seconds=config["SIGNIN_LOCKOUT_MAX_SECONDS"],
        failures_per_hour=config["SIGNIN_FAILURES_PER_HOUR"],
    )


def account_subject(email: str, secret_key: str | bytes) -> str:
    """The throttle's name for an email: a keyed hash, the same whether or not it exists."""
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    digest = hmac.new(key, b"signin:" + email.strip().lower().encode(), hashlib.sha256)
    return "account:" + digest.hexdigest()[:40]


def address_subject(address: str | None) -> str:
    """The throttle's name for a client address."""
    return f"address:{address or 'unknown'}"


class SigninThrottle:
    """Decides each sign-in attempt against the rules, counting in a shared store."""

    def __init__(self, store):
        self.store = store

    def attempt(self, email: str, address: str | None, now: float | None = None) -> Verdict:
        """Count an attempt to sign in as `email` from `address`; refused while limited."""
        now = time.time() if now is None else now
        account = account_subject(email, current_app.config["SECRET_KEY"])
        try:
            return self.store.reserve(account, address_subject(address), self.rules(), now)
        except Exception as err:  # noqa: BLE001  (Redis or the database is down: refuse)
            log.warning("sign-in counts unavailable: %s", type(err).__name__)
            return Verdict.refuse("unavailable", UNAVAILABLE_RETRY_SECONDS)

    def succeeded(self, email: str, tickets: list[str | None], now: float | None = None) -> None:
        """The sign-in went through: take its counted failures back and end the run."""
        now = time.time() if now is None else now
        account = account_subject(email, current_app.config["SECRET_KEY"])
        try:
            self.store.release(account, [t for t in tickets if t is not None], now)
        except Exception as err:  # noqa: BLE001  (the sign-in stands; its run is not reset)
            log.warning("sign-in counts unavailable: %s", type(err).__name__)

    def rules(self) -> ThrottleRules:
        """The rules of the current app."""
        return rules_from(current_app.config)


def init_throttle(app: Flask, redis=None) -> None:
    """Count in Redis when a client is given (SESSION_REDIS_URL), else in the database."""
    from accounts.throttle_store import DatabaseThrottleStore, RedisThrottleStore

    if redis is None:
        store = DatabaseThrottleStore()
    else:
        store = RedisThrottleStore(redis, app.config["SESSION_REDIS_PREFIX"])
    app.extensions["signin_throttle"] = SigninThrottle(store)


def signin_throttle() -> SigninThrottle:
    """The app's throttle."""
    return current_app.extensions["signin_throttle"]
