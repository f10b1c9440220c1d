"""Why a SMART launch stopped: each reason has its page words and HTTP status."""

from __future__ import annotations


class LaunchRefused(Exception):
    """The launch cannot go on; `reason` names which check failed (pages say it in words)."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


REASONS = (
    "unknown_issuer",  # iss is not a registered EHR
    "discovery_failed",  # .well-known/smart-configuration unreadable or unusable
    "state_mismatch",  # the callback's state is not the one this session sent
    "expired",  # the launch took longer than SMART_LAUNCH_MINUTES
    "authorization_denied",  # the EHR's authorize endpoint returned an error
    "token_refused",  # the token endpoint refused the code (PKCE, client, expiry)
    "token_invalid",  # id_token signature, issuer, audience or nonce wrong
    "missing_scopes",  # the EHR granted less than the app needs, or no patient
    "fhir_unavailable",  # the EHR's FHIR server did not answer
    "linked_elsewhere",  # the EHR user is linked to another account
    "no_launch",  # nothing pending in this session
    "client_misconfigured",  # our client secret's variable or key file is missing here
)
