"""JSON error bodies for the API: a message, per-field errors, never HTML or a bare 500."""

import logging
import traceback

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def error_body(status: int, message: str, errors: dict | None = None):
    """A JSON error response."""
    body = {"status": status, "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _http_error(err: HTTPException):
    """The JSON body, keeping headers such as Allow (405) or Retry-After (429)."""
    response, status = error_body(err.code or 500, err.description or err.name)
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
        return error_body(400, "invalid request", err.normalized_messages())

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        if not _wants_json():
            return err
        return _http_error(err)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        _log_unexpected(err)
        if _wants_json():
            return error_body(500, "internal error")
        return "Internal Server Error", 500
