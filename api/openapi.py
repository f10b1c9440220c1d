"""The OpenAPI 3 document of /api/v1, generated from the marshmallow schemas with apispec.

Served at /api/v1/openapi.json and rendered for people at /api/v1/docs.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app

from api.openapi_operation import Operation
from api.openapi_operations import OPERATIONS
from api.response_schemas import ProblemSchema

TITLE = "Behavioral-health provider directory API"
VERSION = "1.0.0"
PREFIX = "/api/v1"
PROBLEM = "application/problem+json"
_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
# Integer ids are 32-bit primary keys; larger ones name nothing (404).
INTEGER_ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
MAX_ENUM = 200
# Shapes the needs schema checks in code (directory.geography.zip5, matching.diagnoses.normalize,
# NUCC codes); a value of the right shape may still name nothing (an unknown ZIP, say).
NEEDS_PATTERNS = {
    "postal_code": "^[0-9]{5}(-?[0-9]{4})?$",
    "diagnoses": "^[A-Za-z][0-9][0-9A-Za-z](\\.?[0-9A-Za-z]{1,4})?$",
    "specialties": "^[0-9]{3}[0-9A-Za-z]{6}[Xx]$",
}
# String path parameters with a shape of their own (the check digit is the API's to judge).
PATH_SCHEMAS = {"npi": {"type": "string", "pattern": "^[0-9]{10}$"}}
# Needs name exactly one place: a ZIP code, a point, or an address (NeedsSchema._one_location).
ONE_LOCATION = [
    {
        "required": ["postal_code"],
        "not": {"anyOf": [{"required": ["address"]}, {"required": ["lat"]}, {"required": ["lon"]}]},
    },
    {
        "required": ["lat", "lon"],
        "not": {"anyOf": [{"required": ["address"]}, {"required": ["postal_code"]}]},
    },
    {
        "required": ["address"],
        "not": {
            "anyOf": [{"required": ["postal_code"]}, {"required": ["lat"]}, {"required": ["lon"]}]
        },
    },
]
ERROR_TEXT = {
    400: "Invalid request; `errors` lists the problems by field. Any request is refused so, "
    "before it is read further, when a value holds a NUL or a lone surrogate, JSON nests deeper "
    "than 32 levels, a list or object has over 1,000 items or a string over 100,000 characters.",
    401: "No valid API key: send `Authorization: Bearer <key>`.",
    403: "The key lacks the scope, or this caller may not do this.",
    404: "Not found (or not visible to this caller).",
    409: "Conflicts with the current state.",
    413: "The request body is over the limit (1 MB by default).",
    422: "Understood but refused (e.g. consent rules).",
    429: "Rate limit exceeded; retry after Retry-After seconds.",
    500: "Unexpected error; nothing about the request is logged.",
    503: "A service the request needs (matching, the attachment virus scanner) is temporarily "
    "unavailable and nothing was kept; retry later (after Retry-After seconds when it is sent).",
}
# Query parameters the marshmallow schemas do not describe themselves.
PARAMETER_TEXT = {
    "npi": "A 10-digit NPI.",
    "name": "Every word is the start of part of the first or last name (case-insensitive).",
    "taxonomy": "A NUCC taxonomy code; a classification code matches its specializations.",
    "language": "An ISO 639-1 code (see /languages).",
    "plan": "A plan or network id (see /plans): clinicians in it or in its networks.",
    "state": "A two-letter state: practising there or holding a current license there.",
    "accepting_new_patients": "true: accepting somewhere; false: known not to be anywhere.",
    "limit": "Page size (at most 100).",
    "offset": "Results to skip; follow `next` instead of computing it.",
    "status": "Referral statuses: repeat the parameter (`status=sent&status=accepted`) or "
    "separate them with commas (`status=sent,accepted`).",
}
DESCRIPTION = """Public directory reads and matching need no credentials; referral routes need
an organization's API key with the scope named on each operation (`directory:read`,
`referrals:read`, `referrals:write`). Errors are RFC 9457 problem details. Lists carry `total`,
`limit`, `offset` and `next`/`prev` links (also in a `Link` header). Directory reads send `ETag`
and `Last-Modified` and answer conditional requests with 304. Every client has a rate limit
(429 with `Retry-After`). The FHIR R4 Plan-Net API is at /fhir (see /fhir/metadata)."""


def schema_name(schema) -> str:
    """Component name: the class name without Schema/Doc; referral request bodies end in Input."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    if name.endswith("Doc"):
        return name.removesuffix("Doc")
    name = name.removesuffix("Schema") or name
    # Request and response shapes share names (Patient, Consent, Event): inputs say so.
    return name + "Input" if cls.__module__ == "referrals.schemas" else name


def openapi_path(rule: str) -> str:
    """'/api/v1/referrals/<int:referral_id>' -> '/referrals/{referral_id}' (server-relative)."""
    return _ARGUMENT.sub(r"{\2}", rule.removeprefix(PREFIX))


def build_spec(app: Flask) -> dict:
    """The document for every /api/v1 route of `app`."""
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=schema_name)],
        info={"description": DESCRIPTION},
        servers=[{"url": PREFIX}],
    )
    _components(spec)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        operation = OPERATIONS.get(rule.endpoint)
        if operation is None:
            raise LookupError(f"{rule.endpoint} ({rule.rule}) is not in api.openapi_operations")
        converters = {name: kind for kind, name in _ARGUMENT.findall(rule.rule)}
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        spec.path(
            path=openapi_path(rule.rule),
            operations={
                m.lower(): _operation(rule.endpoint, operation, converters) for m in methods
            },
        )
    document = _describe_parameters(spec.to_dict())
    _describe_needs(document["components"]["schemas"]["Needs"])
    return document


def _describe_needs(needs: dict) -> None:
    """What the needs schema checks in code: one place, and codes from its vocabularies."""
    from matching.needs_schema import CodeList, NeedsSchema
    from matching.states import US_STATE_CODES

    needs["oneOf"] = ONE_LOCATION
    needs["properties"]["state"]["enum"] = sorted(US_STATE_CODES)
    for name, pattern in NEEDS_PATTERNS.items():
        prop = needs["properties"][name]
        (prop["items"] if prop.get("type") == "array" else prop)["pattern"] = pattern
    for name, field in NeedsSchema(plans=lambda _plan: None, geocoder=None).fields.items():
        codes = sorted(field.known()) if isinstance(field, CodeList) else []
        # NUCC's 875 codes stay with /vocabularies; the smaller lists are spelled out.
        if 0 < len(codes) <= MAX_ENUM:
            needs["properties"][name]["items"]["enum"] = codes


def _describe_parameters(document: dict) -> dict:
    """Fill in the descriptions of query parameters from PARAMETER_TEXT."""
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                text = PARAMETER_TEXT.get(parameter["name"])
                if text and "description" not in parameter and parameter["in"] == "query":
                    parameter["description"] = text
    return document


def spec_for(app: Flask | None = None) -> dict:
    """The document, built once per app."""
    app = app or current_app._get_current_object()
    if "openapi" not in app.extensions:
        app.extensions["openapi"] = build_spec(app)
    return app.extensions["openapi"]


def _components(spec: APISpec) -> None:
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.security_scheme(
        "apiKey",
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "bhd_<prefix>_<secret>",
            "description": "An organization's API key (`flask apikeys create`). Scopes: "
            "directory:read, referrals:read, referrals:write; each operation names its own.",
        },
    )
    spec.components.header(
        "RetryAfter", {"description": "Seconds to wait.", "schema": {"type": "integer"}}
    )
    spec.components.header(
        "Link", {"description": "RFC 8288 next/prev links.", "schema": {"type": "string"}}
    )
    spec.components.header(
        "ETag", {"description": "Digest of the body.", "schema": {"type": "string"}}
    )
    spec.components.header(
        "LastModified",
        {"description": "Latest change of the data shown.", "schema": {"type": "string"}},
    )
    for status, text in ERROR_TEXT.items():
        body = {"description": text, "content": {PROBLEM: {"schema": "Problem"}}}
        if status in (429, 503):
            body["headers"] = {"Retry-After": "RetryAfter"}
        spec.components.response(f"Problem{status}", body)


def _parameters(operation: Operation, converters: dict[str, str]) -> list[dict]:
    params: list[dict] = []
    for name, text in operation.path_params.items():
        kind = INTEGER_ID if converters.get(name) == "int" else PATH_SCHEMAS.get(name, {})
        params.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": text,
                "schema": kind or {"type": "string"},
            }
        )
    if operation.query is not None:
        params.append({"in": "query", "schema": _schema(operation.query)})
    params.extend(operation.headers)
    if operation.conditional:
        for name in ("If-None-Match", "If-Modified-Since"):
            text = f"Conditional GET: 304 Not Modified when unchanged ({name})."
            params.append(
                {"name": name, "in": "header", "description": text, "schema": {"type": "string"}}
            )
    return params


def _schema(schema):
    """A schema class, or the result of a factory for schemas that need constructor args."""
    if isinstance(schema, type) or not callable(schema):
        return schema
    return schema()


def _responses(operation: Operation) -> dict:
    headers = {}
    if operation.conditional:
        headers.update({"ETag": "ETag", "Last-Modified": "LastModified"})
    if operation.paged:
        headers["Link"] = "Link"
    ok = {
        "description": "OK" if operation.ok_status == 200 else "Created",
        "content": {
            media_type: {"schema": _schema(operation.ok)}
            for media_type in operation.ok_media_types or (operation.media_type,)
        },
    }
    if headers:
        ok["headers"] = headers
    if operation.links:
        ok["links"] = operation.links
    responses = {str(operation.ok_status): ok}
    if operation.conditional:
        responses["304"] = {"description": "Not Modified: the caller's copy is current."}
    # Every request passes the edge screen first (400), and every body its size limit (413).
    errors = set(operation.errors) | {400, 429, 500}
    if operation.body is not None:
        errors.add(413)
    if operation.scope:
        errors |= {401, 403}
    for status in sorted(errors):
        responses[str(status)] = f"Problem{status}"
    return responses


def _operation(endpoint: str, operation: Operation, converters: dict[str, str]) -> dict:
    doc = {
        "operationId": endpoint.removeprefix("api.").removesuffix("_route"),
        "tags": [operation.tag],
        "summary": operation.summary,
        "description": operation.description,
        "parameters": _parameters(operation, converters),
        "responses": _responses(operation),
    }
    if operation.body is not None:
        body = {"schema": _schema(operation.body)}
        if operation.example is not None:
            body["example"] = operation.example
        content = {media_type: body for media_type in operation.body_media_types}
        doc["requestBody"] = {"required": True, "content": content}
    if operation.scope:
        doc["security"] = [{"apiKey": []}]
        doc["x-scopes"] = [operation.scope]
        doc["description"] += f" Needs an API key with the `{operation.scope}` scope."
    else:
        doc["security"] = []
    return doc
