"""/fhir referral routes: BSeR $process-message, Task and ServiceRequest read and search, and
a Task's BSeR feedback message. API key (or session) with the referrals scopes.

Each route translates: the message into the referral body (fhir_api.bser_in), the search
arguments into a ReferralQuery, the use case's answer into resources, and refusals into
OperationOutcomes.
"""

from __future__ import annotations

from flask import Response, request

from accounts.identity import current_actor
from directory.models.verification import utcnow
from fhir_api.bser_in import parse_message
from fhir_api.bser_refs import BundleError
from fhir_api.bundles import base_url, searchset
from fhir_api.ids import row_id
from fhir_api.outcomes import fhir_response, operation_outcome
from fhir_api.params import SearchError, parse_search
from fhir_api.referral_outcomes import blocked_outcome, refused
from fhir_api.referral_params import PARAMS, referral_query
from fhir_api.routes import fhir_blueprint
from referrals import use_cases
from referrals.errors import ReferralError
from referrals.fhir_bser import (
    bser_service_request,
    bser_task,
    feedback_message,
    message_id,
    response_message,
)


def _actor(scope: str):
    """The caller holding `scope`, or the 401/403 OperationOutcome response."""
    actor = current_actor()
    if actor is None:
        outcome = operation_outcome(401, "send Authorization: Bearer <API key>")
        response = fhir_response(outcome, 401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return None, response
    if scope not in actor.scopes:
        return None, fhir_response(operation_outcome(403, f"this key lacks {scope}"), 403)
    return actor, None


def _resources(shown) -> tuple[dict, dict]:
    """The referral's Task and ServiceRequest as this reader may see them."""
    referral = shown.referral
    org = referral.referring_organization
    org_id = row_id("org", org.id, org.external_id)
    withheld = shown.disclosure.withheld
    return bser_task(referral, org_id, bool(withheld)), bser_service_request(
        referral, org_id, withheld
    )


@fhir_blueprint.post("/$process-message")
def process_message() -> Response:
    """Take a BSeR ReferralMessageBundle: a referral sent, or kept as a draft with the reason."""
    actor, denied = _actor("referrals:write")
    if denied is not None:
        return denied
    try:
        inbound = parse_message(request.get_json(silent=True))
        received = use_cases.receive(actor, inbound.body, inbound.key, utcnow())
    except BundleError as err:
        return fhir_response(operation_outcome(err.status, err.message, err.expression), err.status)
    except ReferralError as err:
        return refused(err)
    outcome = blocked_outcome(received.blocked) if received.blocked else None
    # MessageHeader.response.identifier is an id: a header without one is named by its key.
    answered = inbound.header_id or message_id("message", inbound.key)
    rest = _resources(received.shown)
    referral = received.shown.referral
    message = response_message(referral, rest, answered, utcnow(), base_url(), outcome)
    return fhir_response(message)


def _search(kind: str) -> Response:
    actor, denied = _actor("referrals:read")
    if denied is not None:
        return denied
    try:
        wanted = parse_search(PARAMS[kind])
        page = use_cases.search_referrals(actor, referral_query(kind, wanted))
    except SearchError as err:
        return fhir_response(operation_outcome(400, err.message, err.parameter), 400)
    index = 0 if kind == "Task" else 1
    matches = [_resources(shown)[index] for shown in page.items]
    return fhir_response(searchset(kind, wanted, page.total, matches, []))


@fhir_blueprint.get("/Task")
def search_tasks() -> Response:
    """Referral Tasks the caller may see: status, patient, requester."""
    return _search("Task")


@fhir_blueprint.get("/ServiceRequest")
def search_service_requests() -> Response:
    """Referral ServiceRequests the caller may see: status, patient, requester."""
    return _search("ServiceRequest")


def _referral_id(fhir_id: str) -> int:
    # Anything but a plain number names no referral: 0 is never an id (404 from the use case).
    return int(fhir_id) if fhir_id.isdigit() and len(fhir_id) <= 10 else 0


def _read(kind: str, fhir_id: str) -> Response:
    actor, denied = _actor("referrals:read")
    if denied is not None:
        return denied
    try:
        shown = use_cases.read(actor, _referral_id(fhir_id))
    except ReferralError as err:
        return refused(err)
    return fhir_response(_resources(shown)[0 if kind == "Task" else 1])


@fhir_blueprint.get("/Task/<fhir_id>")
def read_task(fhir_id: str) -> Response:
    """One referral's Task."""
    return _read("Task", fhir_id)


@fhir_blueprint.get("/ServiceRequest/<fhir_id>")
def read_service_request(fhir_id: str) -> Response:
    """One referral's ServiceRequest."""
    return _read("ServiceRequest", fhir_id)


@fhir_blueprint.get("/Task/<fhir_id>/$feedback")
def task_feedback(fhir_id: str) -> Response:
    """The BSeR referral feedback message for the referral as it stands now."""
    actor, denied = _actor("referrals:read")
    if denied is not None:
        return denied
    try:
        shown, export = use_cases.shown_export(actor, _referral_id(fhir_id))
    except ReferralError as err:
        return refused(err)
    exported = export.model_dump(mode="json", exclude_none=True)
    message = feedback_message(shown.referral, _resources(shown), exported, utcnow(), base_url())
    return fhir_response(message)
