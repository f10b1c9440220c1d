"""Who is acting on this request: a signed-in user or an organization's API key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial, wraps
from http import HTTPStatus

from flask import abort, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import OperationalError

from accounts.keys import find_api_key, key_label
from accounts.models import (
    ROLE_SCOPES,
    SCOPES,
    ApiKey,
    User,
    organization_plan,
    practice_clinician_npis,
)
from directory.extensions import db
from directory.models.verification import as_utc, utcnow

_UNSET = object()
_ENV_KEY = "bh_directory.actor"
# Writing last_used_at on every call would turn each read into a write.
_TOUCH_EVERY = timedelta(minutes=1)
REALM = 'Bearer realm="api"'


class _Deferred:
    """A frozenset field that may be given as a loader instead, run on the first read."""

    # Most requests (matches, clinicians, plans) never read npis or plan_ids, so their queries
    # wait until something does. The value lives in this Actor, which lives in one request.

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}"

    def __get__(self, actor: object, owner: type | None = None) -> frozenset[str]:
        if actor is None:
            raise AttributeError(self._slot)  # no class default: the dataclass field stays required
        value = actor.__dict__[self._slot]
        if callable(value):
            value = actor.__dict__[self._slot] = frozenset(value())
        return value

    def __set__(self, actor: object, value: frozenset[str] | Callable[[], frozenset[str]]) -> None:
        # Only the dataclass __init__ gets here: the frozen __setattr__ refuses everyone else.
        actor.__dict__[self._slot] = value


@dataclass(frozen=True)
class Actor:
    """The caller, reduced to what access decisions and the audit trail need."""

    kind: str  # "user" | "api_key"
    id: int
    role: str  # accounts.models.ROLES, or "partner" for an API key
    organization_id: int | None
    # A frozenset, or a zero-argument loader of one that runs when the field is first read.
    npis: frozenset[str] = _Deferred()  # clinicians this actor acts for
    plan_ids: frozenset[str] = _Deferred()  # plans/networks the actor's organization administers
    scopes: frozenset[str]
    label: str  # "user:12" or "apikey:ab12cd34ef56"; never an email
    program_organization_id: int | None = None  # community staff: the programs' organization

    def has_scope(self, scope: str) -> bool:
        """True when the actor holds `scope`."""
        return scope in self.scopes


def plan_ids_of(organization_id: int | None) -> frozenset[str]:
    """Plan/network ids a health-plan organization administers."""
    if organization_id is None:
        return frozenset()
    # Read lazily, perhaps with the request's changes pending: who the actor is must not flush them.
    with db.session.no_autoflush:
        rows = db.session.scalars(
            select(organization_plan.c.network_id).where(
                organization_plan.c.organization_id == organization_id
            )
        )
        return frozenset(rows)


def clinician_npis_of(organization_id: int) -> frozenset[str]:
    """NPIs of an organization's active clinician users: the clinicians its key acts for."""
    with db.session.no_autoflush:  # as in plan_ids_of
        return frozenset(db.session.scalars(practice_clinician_npis(organization_id)))


def actor_for_user(user: User) -> Actor:
    """The Actor for a signed-in user."""
    npis = frozenset({user.npi}) if user.role == "clinician" and user.npi else frozenset()
    return Actor(
        kind="user",
        id=user.id,
        role=user.role,
        organization_id=user.organization_id,
        npis=npis,
        plan_ids=partial(plan_ids_of, user.organization_id),
        scopes=ROLE_SCOPES.get(user.role, frozenset()),
        label=user.label,
        program_organization_id=user.program_organization_id if user.role == "community" else None,
    )


def actor_for_key(key: Row) -> Actor:
    """The Actor for a live key (find_api_key); a BH practice's key acts for its clinicians."""
    return Actor(
        kind="api_key",
        id=key.id,
        role="partner",
        organization_id=key.organization_id,
        npis=partial(clinician_npis_of, key.organization_id),
        plan_ids=partial(plan_ids_of, key.organization_id),
        scopes=frozenset(key.scopes or ()),
        label=key_label(key.prefix),
    )


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, "" for another scheme, None if absent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _touch(key: Row) -> None:
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
        pass  # a busy database must not fail the request over a usage timestamp


def carries_live_key() -> bool:
    """Whether the request names a live API key (looked up, not cached: the edge asks early)."""
    token = bearer_token()
    return bool(token) and find_api_key(token) is not None


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


def json_error(status: int, message: str, challenge: str | None = None):
    """A problem+json error (as api.errors makes; not imported so api routes can import this)."""
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
    if challenge:
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
    return json_error(401, "authentication required", challenge)


def forbidden_response(scope: str):
    """403 naming the missing scope under /api; a plain 403 for pages."""
    if not _is_api_request():
        abort(403)
    challenge = f'{REALM}, error="insufficient_scope", scope="{scope}"'
    return json_error(403, f"this credential lacks the scope {scope}", challenge)


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
