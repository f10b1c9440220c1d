"""The HSDS 3.0 JSON Schemas in shared/data, as validators that follow their $refs."""

import json
from functools import cache

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import SHARED

SCHEMAS = SHARED / "hsds" / "schema"
BASE = "https://hsds.test/schema/"


@cache
def _registry() -> Registry:
    resources = [
        (BASE + path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


def problems(kind: str, body: dict) -> list[str]:
    """Why `body` is not a valid HSDS `kind` ('service', 'organization', ...); [] when it is."""
    validator = Draft202012Validator(
        {"$ref": BASE + f"{kind}.json"}, registry=_registry(), format_checker=FormatChecker()
    )
    errors = validator.iter_errors(body)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
