"""Page envelopes: total, limit, offset and next/prev links, in the body and a Link header."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, jsonify, request


def page_url(**changes: str | int) -> str:
    """This request's path and query with some arguments replaced (order kept, others kept)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in changes]
    args.extend((key, str(value)) for key, value in changes.items())
    return f"{request.path}?{urlencode(args)}"


def offset_links(total: int, limit: int, offset: int) -> dict[str, str | None]:
    """`next` while results remain past this page, `prev` unless this is the first page."""
    following = offset + limit
    return {
        "next": page_url(limit=limit, offset=following) if following < total else None,
        "prev": page_url(limit=limit, offset=max(0, offset - limit)) if offset > 0 else None,
    }


def link_header(links: dict[str, str | None]) -> str:
    """RFC 8288 Link header value for the links that exist."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


def with_links(response: Response, links: dict[str, str | None]) -> Response:
    """Add the Link header to a response."""
    value = link_header(links)
    if value:
        response.headers["Link"] = value
    return response


def page_body(results: list, total: int, limit: int, offset: int, **extra) -> dict:
    """The page envelope every offset-paged list shares."""
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        **offset_links(total, limit, offset),
        **extra,
        "results": results,
    }


def paged_response(body: dict) -> Response:
    """A JSON page with its Link header."""
    return with_links(jsonify(body), {"next": body.get("next"), "prev": body.get("prev")})
