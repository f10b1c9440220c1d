"""Who may open a staff page: a signed-in person with the page's role (administrators always)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, render_template

from accounts.identity import current_actor, unauthenticated_response


def allowed(actor, roles: tuple[str, ...]) -> bool:
    """True for a signed-in user (not an API key) holding one of `roles`, or an admin."""
    return actor.kind == "user" and (actor.role in roles or actor.role == "admin")


def refused(actor):
    """403: a page saying it is not for this role, with the way to one's own work pages."""
    if actor.kind != "user":
        abort(403)  # an API key has no pages, and no staff layout to show it in
    return render_template("console/refused.html"), 403


def page_for(*roles: str) -> Callable[[Callable], Callable]:
    """Let the page run for these roles: anonymous visitors sign in first, others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                return unauthenticated_response()
            if not allowed(actor, roles):
                return refused(actor)
            return view(*args, **kwargs)

        return wrapped

    return decorator


HOME_BY_ROLE = {
    "pcp": "pcp.search",
    "plan_staff": "staff.console",
    "clinician": "clinician.inbox",
    "admin": "admin.home",
    "community": "community.inbox",
    "practice_manager": "staff.reports",
}
