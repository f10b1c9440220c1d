"""Copy the request-body schemas the search package sends out of the Elasticsearch OpenAPI spec.

The official spec is 4 MB; the tests need only the bodies of the requests we send and the
component schemas they reference. Regenerate after changing the requests or the spec version:

    .venv/bin/python tests/search/spec_extract.py [path/to/elasticsearch-openapi.json]
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
SPEC_DIR = HERE / "spec"
SUBSET = SPEC_DIR / "es-9.0-subset.json"
SOURCE = (
    Path(__file__).resolve().parents[3]
    / "shared/data/elasticsearch-spec/elasticsearch-openapi-9.0-snapshot-2025-03-12.json"
)
# Request name -> (path, method) of one operation that takes that body.
REQUESTS = {
    "indices.create": ("/{index}", "put"),
    "indices.put_settings": ("/{index}/_settings", "put"),
    "indices.update_aliases": ("/_aliases", "post"),
    "search": ("/{index}/_search", "post"),
    "count": ("/{index}/_count", "post"),
    "bulk": ("/{index}/_bulk", "post"),
}
REF_PREFIX = "#/components/schemas/"
# Prose only; validation does not read them and they triple the file.
DROPPED_KEYS = {"description", "externalDocs"}


def request_schema(spec: dict, path: str, method: str) -> dict:
    """The JSON (or NDJSON) request-body schema of one operation, shared bodies resolved."""
    body = spec["paths"][path][method]["requestBody"]
    ref = body.get("$ref")
    if ref:
        body = spec["components"]["requestBodies"][ref.rsplit("/", 1)[1]]
    content = body["content"]
    media = "application/json" if "application/json" in content else next(iter(content))
    return content[media]["schema"]


def refs_in(node) -> set[str]:
    """Names of the component schemas `node` references directly."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                found.add(ref[len(REF_PREFIX) :])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def closure(schemas: dict, roots: list[dict]) -> dict:
    """Every component schema reachable from `roots`, by name."""
    todo = set().union(*(refs_in(r) for r in roots))
    kept: dict = {}
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        kept[name] = schemas[name]
        todo |= refs_in(schemas[name]) - kept.keys()
    return dict(sorted(kept.items()))


def without_prose(node, names_fields: bool = False):
    """`node` without descriptions and external links (a property named so is kept)."""
    if isinstance(node, dict):
        return {
            k: without_prose(v, names_fields=k == "properties" and not names_fields)
            for k, v in node.items()
            if names_fields or k not in DROPPED_KEYS
        }
    if isinstance(node, list):
        return [without_prose(v) for v in node]
    return node


def extract(spec: dict, source_name: str) -> dict:
    """The subset document: request bodies under x-requests, their closure under components."""
    requests = {name: request_schema(spec, *where) for name, where in REQUESTS.items()}
    schemas = closure(spec["components"]["schemas"], list(requests.values()))
    return {
        "openapi": spec["openapi"],
        "info": {
            "title": spec["info"]["title"] + " (subset)",
            "license": spec["info"]["license"],
            "x-source": f"elastic/elasticsearch-specification output/openapi/{source_name}",
            "x-operations": {name: f"{m.upper()} {p}" for name, (p, m) in REQUESTS.items()},
        },
        "x-requests": without_prose(requests),
        "components": {"schemas": without_prose(schemas)},
    }


def main(argv: list[str]) -> None:
    """Write the subset next to this script."""
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    spec = json.loads(source.read_text("utf-8"))
    subset = extract(spec, source.name)
    SPEC_DIR.mkdir(exist_ok=True)
    SUBSET.write_text(json.dumps(subset, indent=1) + "\n", "utf-8")
    count = len(subset["components"]["schemas"])
    print(f"{SUBSET}: {len(REQUESTS)} request bodies, {count} component schemas")


if __name__ == "__main__":
    main(sys.argv)
