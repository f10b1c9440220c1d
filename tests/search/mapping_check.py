"""Check a document against our strict mapping, as Elasticsearch would when indexing it."""

from datetime import date, datetime

from search.mapping import index_mappings


def _is_date(value) -> bool:
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_point(value) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"lat", "lon"}
        and -90 <= value["lat"] <= 90
        and -180 <= value["lon"] <= 180
    )


CHECKS = {
    "keyword": lambda v: isinstance(v, str),
    "text": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2**31,
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "date": _is_date,
    "geo_point": _is_point,
}


def document_errors(doc: dict, properties: dict | None = None, where: str = "") -> list[str]:
    """Fields the mapping does not declare (dynamic: strict) and values of the wrong type."""
    properties = properties if properties is not None else index_mappings()["properties"]
    errors = []
    for name, value in doc.items():
        field = properties.get(name)
        if field is None:
            errors.append(f"{where}{name}: not in the mapping")
            continue
        values = value if isinstance(value, list) and field["type"] != "geo_point" else [value]
        for item in values:
            if item is None:
                continue
            if field["type"] == "nested":
                if not isinstance(item, dict):
                    errors.append(f"{where}{name}: nested value is not an object")
                else:
                    errors += document_errors(item, field["properties"], f"{where}{name}.")
            elif not CHECKS[field["type"]](item):
                errors.append(f"{where}{name}: {item!r} is not a {field['type']}")
    return errors
