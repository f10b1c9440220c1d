"""Flask sessions kept on the server once someone signs in; anonymous ones stay in a cookie.

A visitor who has not signed in (a patient on /find, an API caller) keeps at most a CSRF token,
flash messages and a shortlist of NPIs, in Flask's usual signed cookie: no server-side row per
request. Signing in binds the session to a user: from then on it lives in the session store
under a fresh random id (the cookie holds only that id), so signing out, a password change or an
admin's deactivation deletes it on the server and a copied cookie stops working. Idle and
absolute limits are enforced by the store: an expired session is refused whatever cookie is
presented.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionInterface
from flask.sessions import session_json_serializer as serializer

from accounts.session_store import SessionStore

log = logging.getLogger(__name__)
# All that an anonymous (cookie) session may carry; anything else, a sign-in above all, is
# dropped when read, so an old or replayed cookie can never carry a signed-in user.
# "shortlist" is the patient's saved clinicians: NPIs only (sharing.shortlist), no PHI.
ANONYMOUS_KEYS = frozenset({"csrf_token", "_flashes", "_permanent", "shortlist"})
AUTH_AT = "auth_at"  # epoch seconds when the user signed in (or began to, before the code)
SEEN_AT = "seen_at"  # epoch seconds of the user's last request, to the minute
VALID_UNTIL = "valid_until"  # optional epoch seconds: a shorter life (a sign-in awaiting its code)
_SID_BYTES = 32


class ServerSession(SecureCookieSession):
    """A session dict that knows whether, and under which id, it is stored on the server."""

    def __init__(self, initial=None, sid: str | None = None, user_id: int | None = None):
        super().__init__(initial)
        self.sid = sid  # the cookie's value while bound
        self.user_id = user_id  # bound to this user: kept in the session store
        self.discarded: list[str] = []  # ids to delete from the store when saving
        self.ended = False  # a bound session's cookie came in, but the server had ended it


def store_key(sid: str) -> str:
    """The store's key for a cookie id: its SHA-256, so stored keys cannot be replayed."""
    return hashlib.sha256(sid.encode()).hexdigest()


def bind(session: ServerSession, user_id: int) -> None:
    """Keep the session on the server for `user_id` under a new id (the old one is deleted)."""
    if session.sid:
        session.discarded.append(session.sid)
    session.sid = secrets.token_urlsafe(_SID_BYTES)
    session.user_id = user_id
    session.modified = True


def unbind(session: ServerSession) -> None:
    """Delete the session from the server; what is left of it goes back into a cookie."""
    if session.sid:
        session.discarded.append(session.sid)
    session.sid = None
    session.user_id = None
    session.modified = True


def deadline(data: dict, idle_seconds: int, max_seconds: int) -> float:
    """When a bound session stops being valid: idle or absolute limit, whichever is first."""
    auth_at, seen_at = data.get(AUTH_AT), data.get(SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return 0.0  # no timestamps: not a session this application made
    limits = [seen_at + idle_seconds, auth_at + max_seconds]
    if isinstance(data.get(VALID_UNTIL), int | float):
        limits.append(data[VALID_UNTIL])
    return float(min(limits))


class ServerSessionInterface(SessionInterface):
    """Bound sessions in a SessionStore; unbound ones in Flask's signed cookie."""

    def __init__(self, store: SessionStore):
        self.store = store
        self.cookie = SecureCookieSessionInterface()
        self.cookie.session_class = ServerSession

    def _limits(self, app: Flask) -> tuple[int, int]:
        return app.config["SESSION_IDLE_MINUTES"] * 60, app.config["SESSION_MAX_HOURS"] * 3600

    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        """The stored session for a bound id, else the cookie's anonymous keys."""
        if app.static_url_path and request.path.startswith(app.static_url_path + "/"):
            return ServerSession()  # a stylesheet needs no session: no store read for it
        value = request.cookies.get(self.get_cookie_name(app))
        if value and "." not in value:  # a bound id; signed cookies always contain dots
            return self._open_bound(value)
        session = self.cookie.open_session(app, request)
        if session is None:
            return None
        for key in set(session) - ANONYMOUS_KEYS:
            dict.pop(session, key)
        return session

    def _open_bound(self, sid: str) -> ServerSession:
        try:
            stored = self.store.load(store_key(sid), time.time())
        except Exception as err:  # noqa: BLE001  (a store that cannot answer signs nobody in)
            log.warning("session store unavailable: %s", type(err).__name__)
            stored = None
        if stored is None:
            session = ServerSession()
            session.ended = True
            return session
        return ServerSession(serializer.loads(stored.data), sid=sid, user_id=stored.user_id)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        """Store a bound session (or delete it), or hand an unbound one to the cookie."""
        for sid in session.discarded:
            self.store.delete(store_key(sid))
        session.discarded.clear()
        if session.user_id is None:
            if session.ended and not session:
                return self._delete_cookie(app, response)  # the ended id is of no further use
            return self.cookie.save_session(app, session, response)
        if session.accessed:
            response.vary.add("Cookie")
        now = time.time()
        if session.modified:
            expires_at = deadline(dict(session), *self._limits(app))
            data = serializer.dumps(dict(session))
            self.store.save(store_key(session.sid), session.user_id, data, now, expires_at)
        if session.modified or self.should_set_cookie(app, session):
            self._set_cookie(app, session, response)

    def _set_cookie(self, app: Flask, session: ServerSession, response: Response) -> None:
        response.set_cookie(
            self.get_cookie_name(app),
            session.sid,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")

    def _delete_cookie(self, app: Flask, response: Response) -> None:
        response.delete_cookie(
            self.get_cookie_name(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
        )
