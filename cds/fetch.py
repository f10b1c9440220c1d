"""Prefetch the EHR left out, read from its FHIR server with the access token it sent.

The token goes only in the Authorization header of requests to that server: redirects are not
followed (they would carry it elsewhere), and no error message or log line includes it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import quote

MAX_BYTES = 5 * 1024 * 1024
_TOKEN = re.compile(r"\{\{context\.(\w+)\}\}")


class FetchError(RuntimeError):
    """A prefetch item the FHIR server did not give; names the key, never the token."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # answered as an HTTPError: a redirect is a failed fetch


_OPENER = urllib.request.build_opener(_NoRedirect)


def render(template: str, context: Mapping) -> str:
    """A prefetch template with its {{context.x}} tokens filled in (URL-quoted)."""
    return _TOKEN.sub(lambda m: quote(str(context.get(m.group(1), "")), safe=""), template)


def fetch_one(base: str, query: str, access_token: str, timeout: float) -> dict | None:
    """One FHIR read or search; None when the server says 404 (the resource is not there)."""
    request = urllib.request.Request(
        f"{base.rstrip('/')}/{query}",
        headers={"Accept": "application/fhir+json", "Authorization": f"Bearer {access_token}"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise FetchError(f"the FHIR server answered {error.code}") from None
    except (urllib.error.URLError, OSError):
        raise FetchError("the FHIR server could not be reached") from None
    if len(body) > MAX_BYTES:
        raise FetchError("the FHIR server's answer is too large")
    try:
        value = json.loads(body)
    except ValueError:
        raise FetchError("the FHIR server's answer is not JSON") from None
    return value if isinstance(value, dict) else None


def complete(
    prefetch: Mapping,
    templates: Mapping[str, str],
    context: Mapping,
    server: tuple[str, str] | None,
    timeout: float,
) -> dict:
    """Prefetch with every missing key fetched from `server` (base URL, access token)."""
    done = dict(prefetch)
    for key, template in templates.items():
        if key in done:
            continue  # present, or null: the EHR looked and found nothing
        if server is None:
            raise FetchError(f"prefetch {key!r} is missing and there is no FHIR server to ask")
        try:
            done[key] = fetch_one(server[0], render(template, context), server[1], timeout)
        except FetchError as error:
            raise FetchError(f"prefetch {key!r}: {error}") from None
    return done
