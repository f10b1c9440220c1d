"""/cds-services: translate CDS Hooks requests to the cds use cases and their errors to JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request
from marshmallow import ValidationError

from cds.cards import Addresses
from cds.models import CdsClient
from cds.schemas import FeedbackSchema, HookRequestSchema
from cds.services import SERVICES, Service
from cds.tokens import TokenError
from cds.use_cases import CallSettings, HookError, authenticate, call_service, record_feedback
from directory.models.verification import utcnow
from referrals.clock import local_today

PREFIX = "/cds-services"
cds_hooks_blueprint = Blueprint("cds_hooks", __name__, url_prefix=PREFIX)
_hook_schema = HookRequestSchema()
_feedback_schema = FeedbackSchema()


def error_response(status: int, detail: str, errors: dict | None = None):
    """The JSON error body every /cds-services error has, and its status."""
    body = {"status": status, "error": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response, status


def _base() -> str:
    """The public URL of /cds-services (CDS_HOOKS_BASE_URL behind a proxy that rewrites it)."""
    configured = current_app.config["CDS_HOOKS_BASE_URL"]
    return (configured or request.url_root).rstrip("/") + PREFIX


def _service(service_id: str) -> Service:
    service = SERVICES.get(service_id)
    if service is None:
        abort(404, description=f"no CDS service {service_id!r}; see GET {PREFIX}")
    return service


def _client(service: Service) -> CdsClient | Response:
    """The calling client, or the 401 answer (the spec's "Trusting CDS Clients")."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return _unauthorized("a Bearer JWT is required")
    endpoint = f"{_base()}/{service.id}"
    try:
        return authenticate(header[7:].strip(), {endpoint, endpoint + "/feedback"}, utcnow())
    except TokenError as error:
        return _unauthorized(str(error))


def _unauthorized(detail: str) -> Response:
    response, _ = error_response(401, detail)
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _body() -> dict:
    document = request.get_json(silent=True)
    if not isinstance(document, dict):
        abort(400, description="the body must be a JSON object")
    return document


@cds_hooks_blueprint.get("")
def discovery() -> Response:
    """The services, their hooks and prefetch templates (public: no patient data)."""
    return jsonify({"services": [service.discovery() for service in SERVICES.values()]})


def _settings() -> CallSettings:
    config = current_app.config
    root = _base().removesuffix(PREFIX)
    addresses = Addresses(
        source=root + "/",
        smart_launch=config["CDS_HOOKS_SMART_LAUNCH_URL"] or root + "/smart/launch",
        override_system=f"{_base()}/override-reasons",
    )
    now = utcnow()
    return CallSettings(addresses, local_today(now), config["CDS_HOOKS_FETCH_TIMEOUT"])


@cds_hooks_blueprint.post("/<service_id>")
def call(service_id: str):
    """The cards for one hook call."""
    service = _service(service_id)
    client = _client(service)
    if isinstance(client, Response):
        return client
    try:
        hook_call = _hook_schema.load(_body())
    except ValidationError as err:
        return error_response(400, "invalid CDS Hooks request", err.messages)
    try:
        cards = call_service(client, service, hook_call, _settings(), utcnow())
    except HookError as err:
        return error_response(err.status, err.message)
    return jsonify({"cards": cards})


@cds_hooks_blueprint.post("/<service_id>/feedback")
def feedback(service_id: str):
    """Record what clinicians did with this service's cards."""
    service = _service(service_id)
    client = _client(service)
    if isinstance(client, Response):
        return client
    try:
        items = _feedback_schema.load(_body())["feedback"]
    except ValidationError as err:
        return error_response(400, "invalid feedback", err.messages)
    try:
        count = record_feedback(client, service, items, utcnow())
    except HookError as err:
        return error_response(err.status, err.message)
    return jsonify({"recorded": count})
