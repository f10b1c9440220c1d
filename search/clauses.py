"""Query-DSL building blocks in the long forms the Elasticsearch spec defines."""

from collections.abc import Iterable


def term(field: str, value) -> dict:
    """Exactly `value` (a keyword, a boolean or a number)."""
    return {"term": {field: {"value": value}}}


def terms(field: str, values: Iterable) -> dict:
    """Any of `values`, sorted so equal needs give byte-equal queries."""
    return {"terms": {field: sorted(values)}}


def prefix(field: str, value: str) -> dict:
    """A keyword starting with `value` (NUCC taxonomy class prefixes)."""
    return {"prefix": {field: {"value": value}}}


def range_at_most(field: str, bound) -> dict:
    """`field` <= bound."""
    return {"range": {field: {"lte": bound}}}


def range_at_least(field: str, bound) -> dict:
    """`field` >= bound."""
    return {"range": {field: {"gte": bound}}}


def missing(field: str) -> dict:
    """No value at all for `field`."""
    return {"bool": {"must_not": [{"exists": {"field": field}}]}}


def all_of(*clauses: dict) -> dict:
    """Every clause, unscored."""
    return {"bool": {"filter": list(clauses)}}


def any_of(*clauses: dict) -> dict:
    """At least one clause (one clause stands alone)."""
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def points(clause: dict, weight: float) -> dict:
    """`weight` points when `clause` matches, whatever the term statistics."""
    return {"constant_score": {"filter": clause, "boost": round(weight, 4)}}
