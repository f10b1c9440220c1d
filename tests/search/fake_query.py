"""Evaluate the query-DSL subset the search package builds, over in-memory documents.

This is the fake server's reading of Elasticsearch semantics (filters, nested, geo arc
distance, should-clause scores, gauss decay), good enough to check that our query dicts
select the right documents. The `elasticsearch`-marked suite checks the real thing.
"""

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

EARTH_RADIUS_M = 6371008.7714  # Elasticsearch's mean radius for arc distances
UNITS_M = {"mi": 1609.344, "km": 1000.0, "m": 1.0}
_DISTANCE = re.compile(r"^([0-9.]+)(mi|km|m)$")
_NOW = re.compile(r"^now(?:([+-])(\d+)d)?(?:/d)?$")


def _values(source: dict, field: str) -> list:
    """The values of a (dotted) field, flattened: Elasticsearch treats arrays as many values."""
    current = [source]
    for part in field.split("."):
        nxt = []
        for item in current:
            value = item.get(part) if isinstance(item, dict) else None
            if isinstance(value, list):
                nxt.extend(value)
            elif value is not None:
                nxt.append(value)
        current = nxt
    return current


def _distance_m(text: str) -> float:
    number, unit = _DISTANCE.match(text).groups()
    return float(number) * UNITS_M[unit]


def arc_m(a: dict, b: dict) -> float:
    """Haversine distance in metres, as Elasticsearch's default `arc` distance type."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _comparable(value):
    if isinstance(value, str):
        found = _NOW.match(value)
        if found:
            sign, days = found.groups()
            delta = timedelta(days=int(days or 0)) * (-1 if sign == "-" else 1)
            return (datetime.now(UTC).date() + delta).isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _in_range(value, bounds: dict) -> bool:
    value = _comparable(value)
    checks = {
        "gte": lambda b: value >= b,
        "gt": lambda b: value > b,
        "lte": lambda b: value <= b,
        "lt": lambda b: value < b,
    }
    return all(checks[op](_comparable(bound)) for op, bound in bounds.items() if op in checks)


def _folded_tokens(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return set(re.findall(r"[a-z0-9]+", plain))


def _leaf(kind: str, spec: dict, doc: dict) -> bool:
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "exists":
        return bool(_values(doc, spec["field"]))
    options = ("boost", "_name", "distance", "distance_type", "validation_method")
    ((field_name, arg),) = [(k, v) for k, v in spec.items() if k not in options]
    values = _values(doc, field_name)
    if kind == "term":
        return arg["value"] in values
    if kind == "terms":
        return any(v in values for v in arg)
    if kind == "prefix":
        return any(str(v).startswith(arg["value"]) for v in values)
    if kind == "range":
        return any(_in_range(v, arg) for v in values)
    if kind == "match":
        wanted = _folded_tokens(arg["query"])
        return any(wanted & _folded_tokens(str(v)) for v in values)
    if kind == "geo_distance":
        limit = _distance_m(spec["distance"])
        return any(arc_m(v, arg) <= limit for v in values)
    raise ValueError(f"fake server does not evaluate {kind!r}")


def _clauses(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _bool(spec: dict, doc: dict) -> float | None:
    for clause in _clauses(spec.get("filter")) + _clauses(spec.get("must")):
        if evaluate(clause, doc) is None:
            return None
    if any(evaluate(c, doc) is not None for c in _clauses(spec.get("must_not"))):
        return None
    should = [evaluate(c, doc) for c in _clauses(spec.get("should"))]
    matched = [s for s in should if s is not None]
    minimum = spec.get("minimum_should_match")
    if minimum is None:
        minimum = 0 if (spec.get("filter") or spec.get("must")) else min(1, len(should))
    if len(matched) < int(minimum):
        return None
    return sum(matched) + len(_clauses(spec.get("must")))


def _decay(kind: str, spec: dict, doc: dict) -> float:
    """gauss or exp decay on a geo_point field, from the closest of its points."""
    ((field_name, params),) = [(k, v) for k, v in spec.items() if k != "multi_value_mode"]
    points = _values(doc, field_name)
    if not points:
        return 1.0  # Elasticsearch scores a missing field as 1 for decay functions
    scale, offset = _distance_m(params["scale"]), _distance_m(params.get("offset", "0m"))
    decay = params.get("decay", 0.5)
    distance = max(0.0, min(arc_m(p, params["origin"]) for p in points) - offset)
    if kind == "exp":
        return math.exp(math.log(decay) / scale * distance)
    sigma_sq = -(scale**2) / (2 * math.log(decay))
    return math.exp(-(distance**2) / (2 * sigma_sq))


def _function(function: dict, doc: dict) -> float | None:
    """One function_score function's value, or None when its filter does not match."""
    if "filter" in function and evaluate(function["filter"], doc) is None:
        return None
    value = 1.0
    for kind in ("exp", "gauss"):
        if kind in function:
            value = _decay(kind, function[kind], doc)
    return value * function.get("weight", 1.0)


def _function_score(spec: dict, doc: dict) -> float | None:
    """score_mode and boost_mode `sum` (what the search package sends)."""
    score = evaluate(spec.get("query", {"match_all": {}}), doc)
    if score is None:
        return None
    values = [v for v in (_function(f, doc) for f in spec.get("functions", [])) if v is not None]
    return score + (sum(values) if values else 1.0)


def evaluate(query: dict, doc: dict) -> float | None:
    """The score of `doc` for `query`, or None when it does not match."""
    ((kind, spec),) = query.items()
    boost = spec.get("boost", 1.0) if isinstance(spec, dict) else 1.0
    if kind == "bool":
        score = _bool(spec, doc)
    elif kind == "nested":
        inner = [
            evaluate(spec["query"], {spec["path"]: item}) for item in doc.get(spec["path"]) or []
        ]
        found = [s for s in inner if s is not None]
        score = max(found) if found else None
    elif kind == "constant_score":
        score = 1.0 if evaluate(spec["filter"], doc) is not None else None
    elif kind == "dis_max":
        found = [s for s in (evaluate(q, doc) for q in spec["queries"]) if s is not None]
        score = max(found) if found else None
    elif kind == "function_score":
        score = _function_score(spec, doc)
    else:
        score = 1.0 if _leaf(kind, spec, doc) else None
    return None if score is None else score * boost


def _geo_sort_value(source: dict, options: dict) -> float:
    """The nearest of a document's points to the origin, in the unit asked; missing sorts last."""
    ((field_name, origin),) = ((k, v) for k, v in options.items() if k not in ("order", "unit"))
    found = [arc_m(point, origin) for point in _values(source, field_name)]
    return min(found) / UNITS_M[options.get("unit", "m")] if found else math.inf


def _sort_key(hit: dict, sort: list[dict]):
    key = []
    for clause in sort:
        ((field_name, options),) = clause.items()
        descending = options.get("order") == "desc"
        if field_name == "_score":
            value = hit["_score"]
        elif field_name == "_geo_distance":
            value = _geo_sort_value(hit["_source"], options)
        else:
            value = (_values(hit["_source"], field_name) or [0])[0]
        key.append(-value if descending else value)
    return key


def _after_key(values: list, sort: list[dict]) -> list:
    """search_after values in the same (descending-negated) form as _sort_key."""
    key = []
    for value, clause in zip(values, sort, strict=True):
        ((_field, options),) = clause.items()
        key.append(-value if options.get("order") == "desc" else value)
    return key


def _filtered_source(source: dict, wanted) -> dict | None:
    if wanted is False:
        return None
    if isinstance(wanted, dict) and "includes" in wanted:
        includes = wanted["includes"]
        includes = includes if isinstance(includes, list) else [includes]
        return {k: v for k, v in source.items() if k in includes}
    return source


def run_search(docs: list[tuple], body: dict) -> list[dict]:
    """Hits for `body` over (index, id, version, source) tuples, sorted as asked."""
    hits = []
    for index, doc_id, version, source in docs:
        score = evaluate(body.get("query", {"match_all": {}}), source)
        if score is not None:
            hits.append(
                {
                    "_index": index,
                    "_id": doc_id,
                    "_version": version,
                    "_score": score,
                    "_source": source,
                }
            )
    sort = body.get("sort") or [{"_score": {"order": "desc"}}]
    hits.sort(key=lambda h: _sort_key(h, sort))
    if body.get("search_after") is not None:
        after = _after_key(body["search_after"], sort)
        hits = [h for h in hits if _sort_key(h, sort) > after]
    for hit in hits:
        hit["sort"] = _after_key(_sort_key(hit, sort), sort)  # negating twice gives the values
        hit["_source"] = _filtered_source(hit["_source"], body.get("_source", True))
        if hit["_source"] is None:
            del hit["_source"]
        if not body.get("version"):
            del hit["_version"]
    return hits
