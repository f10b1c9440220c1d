"""FHIR search parameters: what each resource type supports, and parsing their values.

A parameter repeated means AND; commas inside one value mean OR. Unknown parameters are
ignored (FHIR's lenient handling) and left out of the self link, unless the client sends
`Prefer: handling=strict`, which makes them a 400.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, request

from fhir_api.times import DateRange, parse_date_range

DEFAULT_COUNT = 20
MAX_OFFSET = 10_000_000
CONTROL = {"_count", "_offset", "_include", "_format"}


class SearchError(Exception):
    """A search the server cannot run as asked: 400 with an OperationOutcome."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class Param:
    """A supported search parameter, as the CapabilityStatement lists it."""

    name: str
    type: str  # token | reference | string | date | special
    documentation: str
    definition: str | None = None


@dataclass
class Search:
    """A parsed search: values per parameter (each an OR list), paging and includes."""

    values: dict[str, list[list[str]]] = field(default_factory=dict)
    exact: set[str] = field(default_factory=set)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[str] = field(default_factory=list)
    applied: list[tuple[str, str]] = field(default_factory=list)

    def all(self, name: str) -> list[list[str]]:
        """Every AND group of OR values given for `name`."""
        return self.values.get(name, [])

    def dates(self, name: str) -> list[DateRange]:
        """The date comparisons given for `name` (e.g. _lastUpdated=ge2024-01-01&...)."""
        out = []
        for group in self.all(name):
            if len(group) != 1:
                raise SearchError(f"{name} takes one date per parameter", name)
            try:
                out.append(parse_date_range(group[0]))
            except ValueError as err:
                raise SearchError(f"{name}: {err}", name) from err
        return out


def _strict() -> bool:
    prefer = request.headers.get("Prefer", "")
    return "handling=strict" in prefer.replace(" ", "").lower()


def _integer(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError as err:
        raise SearchError(f"{name} must be a whole number", name) from err
    if not low <= value <= high:
        raise SearchError(f"{name} must be between {low} and {high}", name)
    return value


def _control(search: Search, name: str, raw: str, includes: set[str]) -> None:
    """Apply a paging, include or format argument."""
    if name == "_count":
        search.count = _integer(name, raw, 0, current_app.config.get("API_PAGE_SIZE_MAX", 100))
    elif name == "_offset":
        search.offset = _integer(name, raw, 0, MAX_OFFSET)
    elif name == "_include":
        if raw not in includes:
            raise SearchError(f"_include={raw} is not supported", name)
        search.includes.append(raw)
    elif raw not in ("json", "application/json", "application/fhir+json"):
        raise SearchError("only JSON is served (_format=json)", name)
    search.applied.append((name, raw))


def parse_search(params: dict[str, Param], includes: set[str] = frozenset()) -> Search:
    """The request's search arguments for a resource type supporting `params`."""
    search = Search()
    strict = _strict()
    for key, raw in request.args.items(multi=True):
        name, _, modifier = key.partition(":")
        if name in CONTROL and not modifier:
            _control(search, name, raw, includes)
            continue
        param = params.get(name)
        if param is None:
            if strict:
                raise SearchError(f"unknown search parameter {key}", key)
            continue
        if modifier and not (modifier == "exact" and param.type == "string"):
            raise SearchError(f"modifier :{modifier} is not supported on {name}", key)
        values = [v.strip() for v in raw.split(",") if v.strip()] if param.type != "date" else [raw]
        if not values or any(len(v) > 200 or not v.isprintable() for v in values):
            raise SearchError(f"{key} needs a printable value of at most 200 characters", key)
        search.values.setdefault(name, []).append(values)
        if modifier:
            search.exact.add(name)
        search.applied.append((key, raw))
    return search


def token(value: str) -> tuple[str | None, str]:
    """(system or None, code) of a token value ("system|code", "|code" or "code")."""
    if "|" not in value:
        return None, value
    system, _, code = value.partition("|")
    return system, code


def reference_id(value: str, kind: str) -> str:
    """The id a reference value names ("Kind/id", an absolute URL ending so, or "id")."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2:
        if parts[-2] != kind:
            raise SearchError(f"expected a {kind} reference, not {value}")
        return parts[-1]
    return value
