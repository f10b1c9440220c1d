"""Validate request bodies against the Elasticsearch OpenAPI request schemas (tests/search/spec).

The spec is generated from TypeScript definitions, and four of its habits would make a
JSON-schema validator either reject valid requests or accept wrong ones. Each is adjusted
here, by name, so a change of spec version shows up as a failing test, not a silent pass:

- discriminated unions (mapping `Property`, analysis `Analyzer`...) name no `mapping`, so an
  OpenAPI validator looks for a component called after the value ("keyword"); the mapping
  is rebuilt from each branch's `type` enum;
- untagged unions rendered as `oneOf` whose branches all accept the same object (decay
  functions, range queries) fail "valid under each of"; those become `anyOf`;
- objects are left open, but Elasticsearch's parsers reject unknown keys in queries, request
  bodies, mappings and bulk actions; the objects we send are closed (`additionalProperties:
  false`, after merging their `allOf` parts) so a misspelt key fails here as on the server;
- a container whose variant part says "exactly one key" while the shared part adds `filter`
  and `weight` (function_score functions) counts those too, so `{filter, weight, exp}` fails;
  the one-key limit is dropped there and the merged object closed instead.
"""

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

SUBSET = Path(__file__).parent / "spec" / "es-9.0-subset.json"
REF = "#/components/schemas/"
UNTAGGED_UNIONS = (
    "_types.query_dsl:DecayFunction",
    "_types.query_dsl:RangeQuery",
    "_types:FieldValue",  # "MA" is both a string and a nullable string
    "_types:Duration",  # "-1" is both a string and the enum ["-1"]
)
CLOSED_SCHEMAS = (
    "_types.query_dsl:QueryContainer",
    "_types.query_dsl:BoolQuery",
    "_types.query_dsl:FunctionScoreQuery",
    "_types.query_dsl:TermQuery",
    "_types.query_dsl:MatchQuery",
    "_types.query_dsl:ExistsQuery",
    "_types.query_dsl:MatchAllQuery",
    "_types.mapping:TypeMapping",
    "_types.mapping:KeywordProperty",
    "_types.mapping:TextProperty",
    "_types.mapping:GeoPointProperty",
    "_types.mapping:BooleanProperty",
    "_types.mapping:DateProperty",
    "_types.mapping:IntegerNumberProperty",
    "_types.mapping:LongNumberProperty",
    "_types.mapping:NestedProperty",
    "indices._types:IndexSettingsAnalysis",
    "_types.analysis:CustomAnalyzer",
    "_types.analysis:CustomNormalizer",
    "_global.search._types:SourceFilter",
    "_global.bulk:OperationContainer",
    "_global.bulk:IndexOperation",
    "_global.bulk:DeleteOperation",
)
SHARED_FIELD_CONTAINERS = ("_types.query_dsl:FunctionScoreContainer",)
CLOSED_REQUESTS = ("search", "count", "indices.create", "indices.update_aliases")
BULK_ACTION = REF + "_global.bulk:OperationContainer"


def _flattened(schemas: dict, schema: dict) -> dict:
    """An object schema with its `allOf` parts (and their refs) merged into one."""
    if "$ref" in schema:
        return _flattened(schemas, schemas[schema["$ref"][len(REF) :]])
    if "allOf" not in schema:
        return copy.deepcopy(schema)
    merged: dict = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        flat = _flattened(schemas, part)
        unmergeable = set(flat) - {"type", "properties", "required"}
        if unmergeable or flat.get("type", "object") != "object":
            raise ValueError(f"cannot merge allOf part with {sorted(unmergeable)}")
        merged["properties"].update(flat.get("properties", {}))
        merged["required"].extend(flat.get("required", []))
    if not merged["required"]:
        del merged["required"]
    return merged


def _closed(schemas: dict, schema: dict) -> dict:
    flat = _flattened(schemas, schema)
    if "properties" not in flat or "additionalProperties" in flat:
        raise ValueError("only open objects with declared properties can be closed")
    flat["additionalProperties"] = False
    return flat


def _with_discriminator_mappings(schemas: dict) -> None:
    for schema in schemas.values():
        found = schema.get("discriminator")
        if not found or "mapping" in found:
            continue
        prop = found["propertyName"]
        mapping = {}
        for branch in schema["oneOf"]:
            enum = _flattened(schemas, branch).get("properties", {}).get(prop, {}).get("enum")
            for value in enum or ():
                mapping[value] = branch["$ref"]
        found["mapping"] = mapping


@cache
def adjusted_spec() -> dict:
    """The subset with the adjustments applied (see the module docstring)."""
    spec = json.loads(SUBSET.read_text("utf-8"))
    schemas = spec["components"]["schemas"]
    _with_discriminator_mappings(schemas)
    for name in UNTAGGED_UNIONS:
        schemas[name]["anyOf"] = schemas[name].pop("oneOf")
    for name in SHARED_FIELD_CONTAINERS:
        for part in schemas[name]["allOf"]:
            part.pop("minProperties", None)
            part.pop("maxProperties", None)
    closed = {
        name: _closed(schemas, schemas[name]) for name in CLOSED_SCHEMAS + SHARED_FIELD_CONTAINERS
    }
    schemas.update(closed)
    for name in CLOSED_REQUESTS:
        spec["x-requests"][name] = _closed(schemas, spec["x-requests"][name])
    return spec


@cache
def _validator(pointer: str) -> OAS30Validator:
    spec = adjusted_spec()
    root = {"$ref": pointer, "components": spec["components"], "x-requests": spec["x-requests"]}
    return OAS30Validator(root)


def _deepest(error: ValidationError) -> ValidationError:
    """For a failed union, the error of the branch that got furthest into the instance."""
    leaves = [_deepest(child) for child in error.context]
    return max(leaves, key=lambda e: len(e.absolute_path), default=error)


def _messages(validator: OAS30Validator, instance, where: str = "") -> list[str]:
    """One line per error, naming where in the body it is."""
    found = []
    for error in validator.iter_errors(instance):
        error = _deepest(error)
        found.append(f"{where}{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
    return found


def request_errors(name: str, body) -> list[str]:
    """Why `body` is not a valid body for request `name` (empty when it is)."""
    return _messages(_validator(f"#/x-requests/{name}"), body)


def bulk_errors(lines: list[dict]) -> list[str]:
    """Why NDJSON bulk `lines` are invalid: actions checked as actions, sources as objects.

    The spec types the body as one array of `oneOf [action, update, object]`, which every
    line matches more than once; the NDJSON grammar is positional, so this walks it.
    """
    action_validator = _validator(BULK_ACTION)
    errors: list[str] = []
    position = 0
    while position < len(lines):
        action = lines[position]
        errors += _messages(action_validator, action, f"line {position}: ")
        position += 1
        if isinstance(action, dict) and set(action) & {"index", "create", "update"}:
            if position >= len(lines) or not isinstance(lines[position], dict):
                errors.append(f"line {position}: missing document after {sorted(action)}")
            position += 1
    return errors


def assert_valid_request(name: str, body) -> None:
    """Fail with every schema error when `body` is not valid for `name`."""
    errors = request_errors(name, body)
    assert not errors, f"{name} body violates the Elasticsearch spec:\n" + "\n".join(errors)


def assert_valid_bulk(lines: list[dict]) -> None:
    """Fail with every schema error when the bulk NDJSON `lines` are invalid."""
    errors = bulk_errors(lines)
    assert not errors, "bulk body violates the Elasticsearch spec:\n" + "\n".join(errors)
