"""Searchset Bundles: matches, _include'd resources, total, and self/next/previous links."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import request

from fhir_api.codes import NETWORK_REFERENCE
from fhir_api.params import Search

Reader = Callable[[str], dict | None]


def base_url() -> str:
    """The absolute base of the FHIR endpoint, e.g. https://host/fhir."""
    return request.url_root.rstrip("/") + "/fhir"


def _references(resource: dict, include: str) -> list[str]:
    """The "Type/id" references a PractitionerRole _include follows."""
    target = include.split(":", 1)[1]
    if target == "network":
        return [
            ext["valueReference"]["reference"]
            for ext in resource.get("extension", [])
            if ext.get("url") == NETWORK_REFERENCE
        ]
    member = {"service": "healthcareService"}.get(target, target)
    found = resource.get(member)
    refs = found if isinstance(found, list) else [found] if found else []
    return [ref["reference"] for ref in refs if "reference" in ref]


def included(matches: list[dict], includes: list[str], readers: dict[str, Reader]) -> list[dict]:
    """The resources the matches reference through each _include, once each."""
    seen = {(m["resourceType"], m["id"]) for m in matches}
    out = []
    for include in includes:
        for match in matches:
            for reference in _references(match, include):
                kind, _, ident = reference.partition("/")
                if (kind, ident) in seen or kind not in readers:
                    continue
                seen.add((kind, ident))
                resource = readers[kind](ident)
                if resource is not None:
                    out.append(resource)
    return out


def _link(kind: str, search: Search, offset: int) -> str:
    args = [(k, v) for k, v in search.applied if k not in ("_offset", "_count")]
    args += [("_count", str(search.count)), ("_offset", str(offset))]
    return f"{base_url()}/{kind}?{urlencode(args)}"


def searchset(
    kind: str, search: Search, total: int, matches: list[dict], extra: list[dict]
) -> dict:
    """The searchset Bundle for one page of a search."""
    links = [{"relation": "self", "url": _link(kind, search, search.offset)}]
    if search.count and search.offset + search.count < total:
        links.append({"relation": "next", "url": _link(kind, search, search.offset + search.count)})
    if search.offset > 0 and search.count:
        previous = max(0, search.offset - search.count)
        links.append({"relation": "previous", "url": _link(kind, search, previous)})
    entries = [_entry(r, "match") for r in matches] + [_entry(r, "include") for r in extra]
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links}
    if entries:
        bundle["entry"] = entries
    return bundle


def _entry(resource: dict, mode: str) -> dict:
    return {
        "fullUrl": f"{base_url()}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }
