"""The HTTP edge: hostile input is refused before any view runs; every response gets its headers.

Everything here is generic and knows no route: the screen (edge.screen) refuses characters
PostgreSQL text cannot hold, deep nesting, huge lists and oversized strings in the path, query,
headers, form fields and JSON bodies of every entry point (/api/v1, /fhir, pages, console
forms) with a 400 naming the field; request bodies are capped by MAX_CONTENT_LENGTH (413); and
edge.headers adds Cache-Control, Content-Security-Policy and the other security headers.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from edge.headers import secure_headers
from edge.json_body import ScreenedJSONProvider
from edge.screen import KNOWN_CALLER, raise_body_limit, screen_request


def init_edge(app: Flask, known_caller: Callable[[], bool] | None = None) -> None:
    """Install the JSON parser, the request screen and the response headers.

    `known_caller` says whether a request carries a live API key: such callers, like signed-in
    users, may send an upload view its larger body.
    """
    if known_caller is not None:
        app.extensions[KNOWN_CALLER] = known_caller
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # The client's address (rate limits, audit) and scheme (HSTS, CSRF's Referer check)
        # as the TLS proxies in front saw them; only that many X-Forwarded-* hops are believed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.json = ScreenedJSONProvider(app)
    # The size limit is settled before anything reads the body (Flask-WTF's CSRF check reads
    # forms), so this hook goes first of all.
    app.before_request_funcs.setdefault(None, []).insert(0, raise_body_limit)
    # After the rate limiter (hostile requests count against the caller's budget) and CSRF,
    # before every view: no route, schema or query ever sees what the screen refuses.
    app.before_request(screen_request)
    app.after_request(secure_headers)
