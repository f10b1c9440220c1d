"""Read an EHR's `.well-known/smart-configuration` and check it supports our launch."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from smart.errors import LaunchRefused

WELL_KNOWN = "/.well-known/smart-configuration"


@dataclass(frozen=True)
class SmartConfiguration:
    """The endpoints an EHR launch needs."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str | None
    issuer: str | None


def _usable(body: object) -> bool:
    """Code flow with S256 PKCE and the two endpoints, as SMART 2.x requires."""
    if not isinstance(body, dict):
        return False
    endpoints = all(
        isinstance(body.get(k), str) for k in ("authorization_endpoint", "token_endpoint")
    )
    return endpoints and "S256" in (body.get("code_challenge_methods_supported") or [])


def discover(iss: str, timeout: float) -> SmartConfiguration:
    """The EHR's SMART configuration; LaunchRefused("discovery_failed") when unusable."""
    try:
        answer = requests.get(iss.rstrip("/") + WELL_KNOWN, timeout=timeout)
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as err:
        raise LaunchRefused("discovery_failed", 502) from err
    if not _usable(body):
        raise LaunchRefused("discovery_failed", 502)
    return SmartConfiguration(
        authorization_endpoint=body["authorization_endpoint"],
        token_endpoint=body["token_endpoint"],
        jwks_uri=body.get("jwks_uri"),
        issuer=body.get("issuer"),
    )
