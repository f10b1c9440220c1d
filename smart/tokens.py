"""Exchange the code for tokens and check them: PKCE verifier, granted scopes, id_token."""

from __future__ import annotations

import re
import time

import requests
from authlib.integrations.base_client import OAuthError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from smart.discovery import SmartConfiguration
from smart.errors import LaunchRefused
from smart.models import DEFAULT_SCOPES, EhrRegistration
from smart.oauth import client_for
from smart.state import Grant, Pending

# What the app reads: launch context, the user's identity and five patient resources.
REQUIRED_SCOPES = frozenset(DEFAULT_SCOPES.split(" "))
ID_TOKEN_ALGORITHMS = ["RS256", "ES384", "ES256"]
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR R4 id


def exchange(
    ehr: EhrRegistration,
    config: SmartConfiguration,
    pending: Pending,
    code: str,
    redirect_uri: str,
    timeout: float,
) -> Grant:
    """The token endpoint's answer to our code and verifier, every part of it checked."""
    client = client_for(ehr, redirect_uri, timeout)
    try:
        token = client.fetch_token(
            config.token_endpoint, code=code, code_verifier=pending.code_verifier
        )
    except (OAuthError, requests.RequestException, ValueError) as err:
        raise LaunchRefused("token_refused", 502) from err
    granted = set(str(token.get("scope") or "").split())
    patient = token.get("patient")
    if not granted >= REQUIRED_SCOPES or not isinstance(patient, str) or not patient:
        raise LaunchRefused("missing_scopes", 403)
    if not FHIR_ID.fullmatch(patient):
        raise LaunchRefused("token_invalid", 403)  # it goes into a URL path: an id, nothing else
    claims = id_token_claims(ehr, config, token.get("id_token"), pending.nonce, timeout)
    fhir_user = claims.get("fhirUser")
    if not isinstance(fhir_user, str) or not fhir_user:
        raise LaunchRefused("missing_scopes", 403)
    expires_in = token.get("expires_in")
    lifetime = float(expires_in) if isinstance(expires_in, int | float) else 300.0
    return Grant(token["access_token"], patient, fhir_user, time.time() + lifetime)


def id_token_claims(
    ehr: EhrRegistration, config: SmartConfiguration, id_token: object, nonce: str, timeout: float
) -> dict:
    """The id_token's claims once its signature (EHR JWKS), issuer, audience and nonce hold."""
    if not isinstance(id_token, str) or not config.jwks_uri:
        raise LaunchRefused("token_invalid", 403)
    try:
        keys = KeySet.import_key_set(requests.get(config.jwks_uri, timeout=timeout).json())
        decoded = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": config.issuer or ehr.issuer},
            aud={"essential": True, "value": ehr.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, requests.RequestException, ValueError, TypeError) as err:
        raise LaunchRefused("token_invalid", 403) from err
    return decoded.claims
