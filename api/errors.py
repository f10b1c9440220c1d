"""Errors as RFC 9457 problem details (application/problem+json), never HTML or a bare 500.

Each body has `type`, `title`, `status` and `detail`, `errors` per field when the request was
invalid, and `message` (equal to `detail`) for callers written before problem details.
"""

import logging
import traceback
from collections.abc import Callable
from http import HTTPStatus

from flask import Flask, current_app, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
# Problem types are documented on the docs page; a relative reference resolves against it.
PROBLEM_DOCS = "/api/v1/docs#problem-"
VALIDATION_TYPE = PROBLEM_DOCS + "invalid-request"
# app.extensions[ERROR_RENDERERS]: {path prefix: renderer(status, detail, errors)} for other
# bodies, e.g. /fhir answers with an OperationOutcome.
ERROR_RENDERERS = "error_renderers"


def status_title(status: int) -> str:
    """The HTTP reason phrase, e.g. "Not Found"."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str, errors: dict | None = None, **extra) -> dict:
    """A problem-details body; `extra` adds members such as `allowed_events`."""
    body = {
        "type": VALIDATION_TYPE if errors and status == 400 else "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": detail,
        "message": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(status: int, detail: str, errors: dict | None = None, **extra):
    """A problem+json response (not a tuple: headers can be added to it)."""
    text = json.dumps(problem(status, detail, errors, **extra))
    return current_app.response_class(text, status=status, mimetype=PROBLEM_MIMETYPE)


def error_body(status: int, message: str, errors: dict | None = None):
    """A problem+json error response and its status."""
    return problem_response(status, message, errors), status


def add_error_renderer(app: Flask, prefix: str, render: Callable) -> None:
    """Answer errors under the path `prefix` with render(status, detail, errors) instead."""
    app.extensions.setdefault(ERROR_RENDERERS, {})[prefix] = render


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _renderer() -> Callable | None:
    """The error renderer another part of the app registered for this path, if any."""
    for prefix, render in current_app.extensions.get(ERROR_RENDERERS, {}).items():
        if request.path.startswith(prefix):
            return render
    return None


def _http_error(err: HTTPException, render: Callable = error_body):
    """The error body, keeping headers such as Allow (405) or Retry-After (429)."""
    # An error may name the fields at fault (edge.refusal.HostileInput does).
    errors = getattr(err, "errors", None)
    response, status = render(err.code or 500, err.description or err.name, errors)
    for name, value in err.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _log_unexpected(err: Exception) -> None:
    """Log where it failed, never the exception text: it may carry request data (PHI)."""
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(err.__traceback__)
    )
    log.error(
        "unhandled %s on %s %s\n%s", type(err).__name__, request.method, request.url_rule, frames
    )


def register_api_errors(app: Flask) -> None:
    """Install handlers that answer API requests with JSON."""

    @app.errorhandler(ValidationError)
    def _validation(err: ValidationError):
        render = _renderer() or error_body
        return render(400, "invalid request", err.normalized_messages())

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        render = _renderer()
        if render is not None:
            return _http_error(err, render)
        if not _wants_json():
            return err
        return _http_error(err)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        _log_unexpected(err)
        render = _renderer()
        if render is not None:
            return render(500, "internal error", None)
        if _wants_json():
            return error_body(500, "internal error")
        return "Internal Server Error", 500
