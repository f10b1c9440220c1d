"""Who is acting on this request: a signed-in user or an organization's API key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from http import HTTPStatus

from flask import abort, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from accounts.keys import find_api_key
from accounts.models import ROLE_SCOPES, SCOPES, ApiKey, User, organization_plan
from directory.extensions import db
from directory.models.verification import as_utc, utcnow

_UNSET = object()
_ENV_KEY = "bh_directory.actor"
# Writing last_used_at on every call would turn each read into a write.
_TOUCH_EVERY = timedelta(minutes=1)
REALM = 'Bearer realm="bh-directory"'


@dataclass(frozen=True)
class Actor:
    """The caller, reduced to what access decisions and the audit trail need."""

    kind: str  # "user" | "api_key"
    id: int
    role: str  # "pcp" | "plan_staff" | "clinician" | "admin" | "partner"
    organization_id: int | None
    npis: frozenset[str]  # clinicians this actor acts for
    plan_ids: frozenset[str]  # plans/networks the actor's organization administers
    scopes: frozenset[str]
    label: str  # "user:12" or "apikey:ab12cd34ef56"; never an email

    def has_scope(self, scope: str) -> bool:
        """True when the actor holds `scope`."""
        return scope in self.scopes


def plan_ids_of(organization_id: int | None) -> frozenset[str]:
    """Plan/network ids a health-plan organization administers."""
    if organization_id is None:
        return frozenset()
    rows = db.session.scalars(
        select(organization_plan.c.network_id).where(
            organization_plan.c.organization_id == organization_id
        )
    )
    return frozenset(rows)


def clinician_npis_of(organization_id: int) -> frozenset[str]:
    """NPIs of an organization's active clinician users: the clinicians its key acts for."""
    rows = db.session.scalars(
        select(User.npi).where(
            User.organization_id == organization_id,
            User.role == "clinician",
            User.active.is_(True),
            User.npi.is_not(None),
        )
    )
    return frozenset(rows)


def actor_for_user(user: User) -> Actor:
    """The Actor for a signed-in user."""
    npis = frozenset({user.npi}) if user.role == "clinician" and user.npi else frozenset()
    return Actor(
        kind="user",
        id=user.id,
        role=user.role,
        organization_id=user.organization_id,
        npis=npis,
        plan_ids=plan_ids_of(user.organization_id),
        scopes=ROLE_SCOPES.get(user.role, frozenset()),
        label=user.label,
    )


def actor_for_key(key: ApiKey) -> Actor:
    """The Actor for an API key; a BH practice's key acts for its clinician users' NPIs."""
    return Actor(
        kind="api_key",
        id=key.id,
        role="partner",
        organization_id=key.organization_id,
        npis=clinician_npis_of(key.organization_id),
        plan_ids=plan_ids_of(key.organization_id),
        scopes=frozenset(key.scopes or ()),
        label=key.label,
    )


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, "" for another scheme, None if absent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _touch(key: ApiKey) -> None:
    """Note when a key was last used, at most once a minute, in a transaction of its own."""
    now = utcnow()
    last = as_utc(key.last_used_at)
    if last is not None and now - last <= _TOUCH_EVERY:
        return
    # Not in the request's session: read-only requests never commit, and on SQLite the pending
    # UPDATE would hold the write lock for the whole request, serializing every API call.
    try:
        with db.engine.begin() as connection:
            connection.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
    except OperationalError:
        return  # a busy database must not fail the request over a usage timestamp
    set_committed_value(key, "last_used_at", now)


def _resolve() -> Actor | None:
    token = bearer_token()
    if token is not None:
        # A request that names a key is judged by that key alone, never by a session cookie.
        key = find_api_key(token) if token else None
        if key is None:
            return None
        _touch(key)
        return actor_for_key(key)
    if current_user.is_authenticated:
        return actor_for_user(current_user._get_current_object())
    return None


def current_actor() -> Actor | None:
    """The Actor for this request (API key first, then the session user), or None."""
    # Cached in the WSGI environ, not in g: g outlives a request when an app context was
    # already pushed (tests, scripts), and an identity must never leak into the next request.
    actor = request.environ.get(_ENV_KEY, _UNSET)
    if actor is _UNSET:
        actor = _resolve()
        request.environ[_ENV_KEY] = actor
    return actor


def _json_error(status: int, message: str, challenge: str):
    # A problem+json body as api.errors makes; not imported so api routes can import this module.
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": message,
        "message": message,
    }
    response = jsonify(body)
    response.mimetype = "application/problem+json"
    response.status_code = status
    response.headers["WWW-Authenticate"] = challenge
    return response


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def unauthenticated_response():
    """401 with a WWW-Authenticate challenge under /api; a redirect to sign in for pages."""
    if not _is_api_request():
        # Path only: a query string may carry PHI and would end up in the login URL.
        return redirect(url_for("accounts.login", next=request.path))
    challenge = REALM
    if bearer_token() is not None:
        challenge += ', error="invalid_token"'
    return _json_error(401, "authentication required", challenge)


def forbidden_response(scope: str):
    """403 naming the missing scope under /api; a plain 403 for pages."""
    if not _is_api_request():
        abort(403)
    challenge = f'{REALM}, error="insufficient_scope", scope="{scope}"'
    return _json_error(403, f"this credential lacks the scope {scope}", challenge)


def require_actor(view: Callable) -> Callable:
    """Let the view run only for an authenticated actor."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_actor() is None:
            return unauthenticated_response()
        return view(*args, **kwargs)

    return wrapped


def require_scope(scope: str) -> Callable[[Callable], Callable]:
    """Let the view run only for an actor holding `scope` (401 / 403 otherwise)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                return unauthenticated_response()
            if scope not in actor.scopes:
                return forbidden_response(scope)
            return view(*args, **kwargs)

        return wrapped

    return decorator
