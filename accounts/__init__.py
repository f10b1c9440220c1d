"""Accounts: sign-in, sessions, API keys and who is acting on a request."""

from flask import Blueprint, Flask

accounts_blueprint = Blueprint("accounts", __name__)


def accounts_pages() -> Blueprint:
    """The blueprint with the sign-in pages' routes and request hooks attached."""
    # Imported here, not with the package: its models and CLI need no forms, MFA or limiter.
    from accounts import gates, mfa_views, password_views, profile_views, views  # noqa: F401

    return accounts_blueprint


def init_accounts(app: Flask) -> None:
    """Server-side sessions and sign-in throttling, in Redis (SESSION_REDIS_URL) or the database."""
    from accounts.session_store import redis_client
    from accounts.sessions import init_sessions
    from accounts.throttle import init_throttle

    url = app.config.get("SESSION_REDIS_URL")
    redis = redis_client(url) if url else None
    init_sessions(app, redis)
    init_throttle(app, redis)
