"""What the referral use cases refuse, as one small hierarchy with a status-like kind.

Entry points translate an error by its `kind` and the HTTP-like `status` that goes with it
(the API into problem details, the console into a translated message picked by `code`); the
use case has already rolled back and audited it.
"""

from __future__ import annotations

# The audit outcome each kind is recorded with, unless the error says otherwise.
_OUTCOME = {
    "not_found": "denied",
    "denied": "denied",
    "invalid": "invalid",
    "conflict": "invalid",
    "blocked": "blocked",
    "unavailable": "invalid",
}


class ReferralError(Exception):
    """A refused referral request: kind, a stable code, an English message, per-field errors."""

    kind = "invalid"
    status = 422

    def __init__(
        self,
        message: str,
        errors: dict | None = None,
        *,
        code: str | None = None,
        outcome: str | None = None,
        **extra,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.code = code or self.kind
        self.extra = extra
        self._outcome = outcome

    @property
    def outcome(self) -> str:
        """How the refusal is audited: denied, invalid or blocked."""
        return self._outcome or _OUTCOME[self.kind]


class NotFound(ReferralError):
    """Nothing the actor may see by that id (or no such sub-resource)."""

    kind = "not_found"
    status = 404


class Denied(ReferralError):
    """The actor may see the referral but not do this to it."""

    kind = "denied"
    status = 403


class Invalid(ReferralError):
    """The request names something that does not exist, fit or complete the step."""

    kind = "invalid"


class Malformed(Invalid):
    """The request itself does not parse (field errors from the input schema)."""

    status = 400


class Conflict(ReferralError):
    """The referral's state does not allow the request now."""

    kind = "conflict"
    status = 409


class Blocked(ReferralError):
    """A disclosure the consent does not permit (42 CFR Part 2, or a revoked consent)."""

    kind = "blocked"
    status = 422


class Unavailable(ReferralError):
    """A service the step needs (the attachment scanner) did not answer: nothing was kept."""

    kind = "unavailable"
    status = 503


class TooLarge(Invalid):
    """An upload over its size cap."""

    status = 413
