"""/fhir routes: metadata, read and search."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from fhir_api.bundles import included, searchset
from fhir_api.capability import capability_statement
from fhir_api.kinds import KINDS, READERS
from fhir_api.outcomes import fhir_response, operation_outcome
from fhir_api.params import SearchError, parse_search

fhir_blueprint = Blueprint("fhir", __name__)


def _kind(resource_type: str):
    kind = KINDS.get(resource_type)
    if kind is None:
        abort(404, description=f"{resource_type} is not served here; see /fhir/metadata.")
    return kind


@fhir_blueprint.get("/metadata")
def metadata() -> Response:
    """The CapabilityStatement."""
    return fhir_response(capability_statement())


@fhir_blueprint.get("/<resource_type>")
def search(resource_type: str) -> Response:
    """A searchset Bundle of one page of matches (and their _include'd resources)."""
    kind = _kind(resource_type)
    try:
        wanted = parse_search(kind.params, kind.includes)
        total, matches = kind.search(wanted)
    except SearchError as err:
        return fhir_response(operation_outcome(400, err.message, err.parameter), 400)
    extra = included(matches, wanted.includes, READERS)
    return fhir_response(searchset(resource_type, wanted, total, matches, extra))


@fhir_blueprint.get("/<resource_type>/<fhir_id>")
def read(resource_type: str, fhir_id: str) -> Response:
    """One resource by id."""
    kind = _kind(resource_type)
    resource = kind.read(fhir_id) if len(fhir_id) <= 64 and fhir_id.isprintable() else None
    if resource is None:
        abort(404, description=f"{resource_type}/{fhir_id} is not known here.")
    return fhir_response(resource)
