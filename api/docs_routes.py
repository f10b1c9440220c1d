"""GET /api/v1/openapi.json and the documentation page rendered from it (no scripts, no CDN)."""

from __future__ import annotations

from flask import jsonify, render_template

from api.openapi import ERROR_TEXT, spec_for
from api.routing import Routes

routes = Routes()

METHODS = ("get", "post", "put", "patch", "delete")


@routes.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3 document."""
    return jsonify(spec_for())


def _operations(spec: dict) -> list[dict]:
    """Each operation with its path, method, parameters and response statuses, by tag."""
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            found.append(
                {
                    "path": spec["servers"][0]["url"] + path,
                    "method": method.upper(),
                    "tag": operation["tags"][0],
                    "anchor": operation["operationId"],
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "parameters": operation.get("parameters", []),
                    "body": body["schema"].get("$ref", "").rsplit("/", 1)[-1] if body else None,
                    "responses": sorted(operation["responses"]),
                    "scopes": operation.get("x-scopes", []),
                }
            )
    return sorted(found, key=lambda op: (op["tag"], op["path"], op["method"]))


@routes.get("/docs")
def api_docs():
    """The API reference for people, rendered on the server from the OpenAPI document."""
    spec = spec_for()
    return render_template(
        "api/docs.html",
        spec=spec,
        operations=_operations(spec),
        schemas=spec["components"]["schemas"],
        problems=ERROR_TEXT,
    )
