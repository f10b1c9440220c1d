"""JSON error bodies for the API: a message, per-field errors, never HTML or a bare 500."""

import logging

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


def register_api_errors(app: Flask) -> None:
    """Install handlers that answer API requests with JSON."""

    @app.errorhandler(ValidationError)
    def _validation(err: ValidationError):
        return error_body(400, "invalid request", err.normalized_messages())

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        if not _wants_json():
            return err
        return error_body(err.code or 500, err.description or err.name)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        # Log the type only: exception text may carry request data (PHI).
        log.error("unhandled %s on %s %s", type(err).__name__, request.method, request.url_rule)
        if _wants_json():
            return error_body(500, "internal error")
        return "Internal Server Error", 500
