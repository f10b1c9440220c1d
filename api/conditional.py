"""Conditional GET for directory reads: ETag from the body, Last-Modified from the data, 304s.

The ETag is a digest of the exact body, so anything that changes what a caller sees changes
it (a new row, a removed one, a listing turning stale). Last-Modified is the latest change of
the rows behind the body; for lists it cannot see rows that vanished, so callers should prefer
If-None-Match (which wins over If-Modified-Since, RFC 9110 section 13.2.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import Response, current_app, json, request
from sqlalchemy import func, select

from api.paging import with_links
from directory.extensions import db
from directory.models.verification import as_utc, utcnow


def latest(moments: Iterable[datetime | None]) -> datetime | None:
    """The latest of some optional moments, in UTC."""
    found = [as_utc(m) for m in moments if m is not None]
    return max(found) if found else None


def stale_since(verified_at: datetime | None, days: int) -> datetime | None:
    """When a listing turned stale, if it already has (the body changed then, not the row)."""
    if verified_at is None:
        return None
    turned = as_utc(verified_at) + timedelta(days=days)
    return turned if turned <= utcnow() else None


def conditional_json(
    body: dict, last_modified: datetime | None, links: dict[str, str | None] | None = None
) -> Response:
    """The body as JSON with ETag, Last-Modified and Cache-Control; 304 when the caller has it."""
    text = json.dumps(body)
    response = current_app.response_class(text, mimetype="application/json")
    response.set_etag(hashlib.sha256(text.encode("utf-8")).hexdigest()[:40])
    if last_modified is not None:
        response.last_modified = as_utc(last_modified)
    # Public data, but always revalidated: listings change and go stale.
    response.headers["Cache-Control"] = "public, no-cache"
    if links:
        with_links(response, links)
    return response.make_conditional(request)


def table_changed_at(model) -> datetime | None:
    """The latest updated_at of a table (inactive rows too: deactivating is a change)."""
    return db.session.scalar(select(func.max(model.updated_at)))
