"""What an EHR launch keeps in the PCP's server-side session, and how the pages read it back.

Only a signed-in session is stored on the server (accounts.server_session); the launch pages
require one, so the PKCE verifier, state, nonce, access token and pre-fill never reach a cookie.
"""

from __future__ import annotations

from flask import session
from werkzeug.datastructures import CombinedMultiDict, MultiDict

PENDING = "smart_pending"  # state, nonce, verifier and endpoints until the callback
GRANT = "smart_grant"  # the checked token while the PCP decides whether to link the EHR user
PREFILL = "smart_prefill"  # the launch patient's fields for the needs and referral forms


def keep(key: str, value: dict) -> None:
    session[key] = value


def take(key: str) -> dict | None:
    """The value, removed: each step of a launch is single-use."""
    value = session.pop(key, None)
    return value if isinstance(value, dict) else None


def launch_prefill() -> dict | None:
    value = session.get(PREFILL)
    return value if isinstance(value, dict) else None


def launch_needs() -> dict:
    """The needs form's answers from the launch patient's chart (empty without a launch)."""
    return dict((launch_prefill() or {}).get("needs") or {})


def with_launch_defaults(form: MultiDict) -> MultiDict:
    """The posted form, with the launch patient's fields filling what it leaves out."""
    found = launch_prefill()
    if not found:
        return form
    extra = {f"patient_{k}": v for k, v in (found.get("patient") or {}).items()}
    extra.update(found.get("form") or {})
    return CombinedMultiDict([form, MultiDict(extra)])


def forget_launch() -> None:
    """The referral is sent: the launch patient's chart leaves the session."""
    session.pop(PREFILL, None)
