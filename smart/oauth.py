"""The authorization code flow with PKCE (S256) against one EHR, through Authlib."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT

from smart.discovery import SmartConfiguration
from smart.errors import LaunchRefused
from smart.models import EhrRegistration
from smart.state import Pending


def _credential(ehr: EhrRegistration) -> str | None:
    """The client secret (from its environment variable) or private key (from its PEM file)."""
    try:
        if ehr.auth_method == "client_secret_basic":
            return os.environ[ehr.client_secret_env or ""] or None
        if ehr.auth_method == "private_key_jwt":
            return Path(ehr.private_key_path or "").read_text()
    except (KeyError, OSError) as err:
        raise LaunchRefused("client_misconfigured", 503) from err
    return None


def client_for(ehr: EhrRegistration, redirect_uri: str, timeout: float) -> OAuth2Session:
    """Authlib's client for this EHR, authenticating the way it was registered."""
    client = OAuth2Session(
        ehr.client_id,
        _credential(ehr),
        token_endpoint_auth_method=ehr.auth_method,
        scope=ehr.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=timeout,
    )
    if ehr.auth_method == "private_key_jwt":
        # SMART asks for RS384 or ES384 client assertions; the kid names our key in our JWKS.
        headers = {"kid": ehr.private_key_id} if ehr.private_key_id else None
        client.register_client_auth_method(PrivateKeyJWT(headers=headers, alg="RS384"))
    return client


def authorization_url(
    ehr: EhrRegistration, config: SmartConfiguration, launch: str, redirect_uri: str, now: float
) -> tuple[str, Pending]:
    """Where to send the browser, and the state, nonce and PKCE verifier to keep server-side."""
    token = secrets.token_urlsafe
    pending = Pending(ehr.id, token(32), token(32), generate_token(64), now)
    client = client_for(ehr, redirect_uri, 5.0)
    url, _state = client.create_authorization_url(
        config.authorization_endpoint,
        state=pending.state,
        code_verifier=pending.code_verifier,
        nonce=pending.nonce,
        aud=ehr.issuer,
        launch=launch,
    )
    return url, pending
