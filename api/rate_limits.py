"""Rate limits for the partner-facing blueprints: one budget per client across them all.

Anonymous callers are counted by IP address (PUBLIC_RATE_LIMIT); callers presenting a valid
API key by its prefix, or signed-in users by their id (PARTNER_RATE_LIMIT), so a partner
behind a shared NAT is not throttled by its neighbours. Over the limit: 429 problem+json with
Retry-After (RATELIMIT_HEADERS_ENABLED also sends X-RateLimit-* on every response). Counts live
in RATELIMIT_STORAGE_URI: memory:// per process by default, redis://host:6379 in production so
every worker shares them. Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so the
client address is the caller's, not the proxy's.
"""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_limiter.util import get_remote_address

from accounts.identity import current_actor
from edge.extensions import limiter

SCOPE = "partner-api"


def client_key() -> str:
    """Whom a request counts against: its API key, its signed-in user, else its address."""
    actor = current_actor()
    if actor is not None:
        return actor.label
    return f"ip:{get_remote_address()}"


def client_limit() -> str:
    """The budget for this request's client."""
    name = "PUBLIC_RATE_LIMIT" if current_actor() is None else "PARTNER_RATE_LIMIT"
    return current_app.config[name]


def limit_blueprint(blueprint: Blueprint) -> None:
    """Count every route of `blueprint` against the client's one shared budget."""
    limiter.shared_limit(client_limit, scope=SCOPE, key_func=client_key)(blueprint)
