"""SQL building blocks shared by the FHIR searches: OR groups, token codes, string matches."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, or_

from fhir_api.params import Search, SearchError, token


def any_of(clauses: list[ColumnElement]) -> ColumnElement:
    """OR of the clauses; none matches nothing."""
    return or_(*clauses) if clauses else false()


def token_codes(group: list[str], system: str | None, name: str) -> list[str]:
    """Codes of a token OR group; a system other than `system` (None: any) matches nothing."""
    found = []
    for value in group:
        given, code = token(value)
        if system is not None and given not in (None, "", system):
            continue
        if not code:
            raise SearchError(f"{name} needs a code", name)
        found.append(code)
    return found


def string_clauses(search: Search, name: str, columns: list) -> list[ColumnElement]:
    """string search: starts with (or equals, with :exact) in any of `columns`, per OR group."""
    out = []
    for group in search.all(name):
        options = []
        for value in group:
            for column in columns:
                if name in search.exact:
                    options.append(column == value)
                else:
                    options.append(func.lower(column).startswith(value.lower(), autoescape=True))
        out.append(any_of(options))
    return out
