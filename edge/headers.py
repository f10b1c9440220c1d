"""Security headers on every response (after_request).

- Cache-Control: no-store on everything but /static and responses that declare themselves
  `public` (the directory reads: public data, revalidated every time). Referral pages and data,
  console pages, FHIR bundles and signed-in pages carry PHI and must not be kept by a browser or
  a proxy, and "no-store unless public" cannot miss a new route.
- Content-Security-Policy: only this origin's scripts, styles, images, forms and connections;
  no inline script or style (the templates have none); map tiles from MAP_TILE_URL's origin;
  the app may not be framed (frame-ancestors 'none', and X-Frame-Options for old browsers).
- X-Content-Type-Options: nosniff; Referrer-Policy: same-origin (not no-referrer: Flask-WTF
  checks the Referer of HTTPS form posts against the host, so a browser must send it to us).
- Strict-Transport-Security when the app is served over HTTPS (SESSION_COOKIE_SECURE on).
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from flask import Response, current_app, request

BASE_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self'"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)


def tile_origin(tile_url: str) -> str | None:
    """The origin map tiles come from, e.g. https://*.tile.example.org for {s}.tile..., or None."""
    parts = urlsplit(tile_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if "{" in host or "}" in host or "*" in host[1:]:
        return None  # a template CSP cannot express; tiles will be refused, not the page
    return f"{parts.scheme}://{host}"


@cache
def content_security_policy(tile_url: str) -> str:
    """The policy, with the tile server's origin allowed for images when one is configured."""
    origin = tile_origin(tile_url) if tile_url else None
    return "; ".join(
        f"{name} {value} {origin}" if name == "img-src" and origin else f"{name} {value}"
        for name, value in BASE_POLICY
    )


def _is_static() -> bool:
    static = current_app.static_url_path
    return bool(static) and request.path.startswith(static + "/")


def secure_headers(response: Response) -> Response:
    """after_request: add the headers above (a value a view set itself is kept)."""
    headers = response.headers
    if not _is_static() and not response.cache_control.public:
        headers["Cache-Control"] = "no-store"
    config = current_app.config
    headers.setdefault(
        "Content-Security-Policy", content_security_policy(config.get("MAP_TILE_URL", ""))
    )
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "same-origin")
    if config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", f"max-age={config['HSTS_MAX_AGE']}")
    return response
