"""Referral refusals as problem details: the one place a use-case error becomes a response."""

from __future__ import annotations

from api.errors import problem_response
from api.routing import Routes
from referrals.errors import ReferralError

routes = Routes()


@routes.errorhandler(ReferralError)
def referral_refused(err: ReferralError):
    """Answer a refused referral request (already rolled back and audited by the use case)."""
    return problem_response(err.status, err.message, err.errors or None, **err.extra)
