"""The page that says "not now": too many sign-in attempts, or sign-in unavailable."""

from __future__ import annotations

from flask import flash, make_response, render_template

from accounts.throttle import Verdict


def throttled_response(template: str, verdict: Verdict, **context):
    """429 with Retry-After; the page names the wait, never whether the account exists."""
    if verdict.reason == "unavailable":
        flash("Signing in is unavailable just now. Try again in a minute.", "error")
        status = 503
    else:
        minutes = max(1, -(-verdict.retry_after // 60))
        unit = "minute" if minutes == 1 else "minutes"
        flash(f"Too many sign-in attempts. Try again in {minutes} {unit}.", "error")
        status = 429
    response = make_response(render_template(template, **context), status)
    response.headers["Retry-After"] = str(verdict.retry_after)
    return response
