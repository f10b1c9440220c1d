"""FHIR responses: resources and Bundles as application/fhir+json, errors as OperationOutcome.

Every resource is constructed with the fhir.resources R4B models before it is sent, so what
goes out is valid FHIR (a construction error is a server bug, answered as a 500 outcome).
"""

from __future__ import annotations

from flask import Response, current_app

FHIR_JSON = "application/fhir+json"
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    410: "deleted",
    413: "too-long",
    429: "throttled",
    503: "transient",
}


def validated_json(resource: dict) -> str:
    """The resource as JSON, after the R4B model accepted it."""
    # Imported on the first FHIR response: the models and pydantic cost ~13 MB in every worker.
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return model.model_dump_json(exclude_none=True)


def fhir_response(resource: dict, status: int = 200) -> Response:
    """A validated resource as application/fhir+json."""
    return current_app.response_class(validated_json(resource), status=status, mimetype=FHIR_JSON)


def operation_outcome(status: int, detail: str, expression: str | None = None) -> dict:
    """An OperationOutcome with one issue (no request data beyond the parameter's name)."""
    issue = {
        "severity": "error" if status < 500 else "fatal",
        "code": ISSUE_CODES.get(status, "exception"),
        "diagnostics": detail,
    }
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_response(status: int, detail: str, errors: dict | None = None):
    """An error as an OperationOutcome (the api.errors renderer signature)."""
    resource = operation_outcome(status, detail)
    for field, messages in (errors or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            resource["issue"].append(
                {
                    "severity": "error",
                    "code": "invalid",
                    "diagnostics": str(message),
                    "expression": [field],
                }
            )
    return fhir_response(resource, status), status
