"""GET /api/v1/changes: listings changed since a moment, oldest first, paged by cursor.

A listing changes when its clinician row or any row the listing shows changes (see
directory/listing_changes.py). Entries are ordered by (changed_at, id); the `next` link carries
a cursor after the last entry, so listings that change while a caller pages through move to
the end of the feed instead of shifting pages. Poll again with the last `next` link.
"""

from __future__ import annotations

from flask import request
from sqlalchemy import and_, func, or_, select

from api.change_schemas import ChangeQuery, ChangesQuerySchema, Position
from api.directory_schemas import load_args
from api.paging import page_url, paged_response
from api.routing import Routes
from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import as_utc

routes = Routes()


def _after(query: ChangeQuery):
    """The WHERE clause: changed after `since`, and after the cursor's entry when given."""
    # Moments are UTC: SQLite stores UTC wall time, so aware values compare alike on both.
    clause = Clinician.updated_at > query.since
    if query.after is None:
        return clause
    moment = query.after.changed_at
    return and_(
        clause,
        or_(
            Clinician.updated_at > moment,
            and_(Clinician.updated_at == moment, Clinician.id > query.after.id),
        ),
    )


def _entry(row) -> dict:
    return {
        "npi": row.npi,
        "changed_at": as_utc(row.updated_at).isoformat(),
        "active": row.active,
        "href": f"/api/v1/clinicians/{row.npi}",
    }


@routes.get("/changes")
def list_changes():
    """Listings changed since `since`, oldest change first; `next` resumes after this page."""
    query = load_args(ChangesQuerySchema(), request.args)
    total = db.session.scalar(
        select(func.count(Clinician.id)).where(Clinician.updated_at > query.since)
    )
    rows = db.session.execute(
        select(Clinician.id, Clinician.npi, Clinician.updated_at, Clinician.active)
        .where(_after(query))
        .order_by(Clinician.updated_at, Clinician.id)
        .limit(query.limit + 1)
    ).all()
    page, more = rows[: query.limit], len(rows) > query.limit
    last = page[-1] if page else None
    cursor = Position(as_utc(last.updated_at), last.id).encode() if last else None
    body = {
        "since": query.since.isoformat(),
        "total": total,
        "limit": query.limit,
        "next": page_url(cursor=cursor) if more else None,
        "resume": page_url(cursor=cursor) if cursor else request.full_path.rstrip("?"),
        "results": [_entry(row) for row in page],
    }
    return paged_response(body)
