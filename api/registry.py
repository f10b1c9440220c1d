"""Registry API: the reader's episodes by latest score, with flags and follow-up (PHI, audited)."""

from __future__ import annotations

from flask import request

from accounts.identity import current_actor, require_scope
from api.directory_schemas import load_args
from api.paging import page_body, paged_response
from api.registry_views import row_json
from api.routing import Routes
from referrals.use_cases import local_today
from registry.measures import FOLLOW_UP_DAYS
from registry.schemas import RegistryQuerySchema
from registry.use_cases import follow_up_counts, read_registry

routes = Routes()


@routes.get("/registry")
@require_scope("registry:read")
def get_registry_route():
    """One page of the caller's registry: filter by flag, sort, page; no names in the URL."""
    query = load_args(RegistryQuerySchema(), request.args)
    today = local_today()
    page = read_registry(current_actor(), query, today)
    results = [row_json(row) for row in page.rows]
    body = page_body(
        results,
        page.total,
        query.limit,
        query.offset,
        instrument=query.instrument,
        flag=query.flag,
        sort=query.sort,
        as_of=today.isoformat(),
    )
    return paged_response(body)


@routes.get("/registry/follow-up")
@require_scope("registry:read")
def get_follow_up_route():
    """Episodes with a positive PHQ-9 / GAD-7, per instrument, by a BH visit within 30 days."""
    today = local_today()
    counts = follow_up_counts(current_actor(), today)
    return {"as_of": today.isoformat(), "window_days": FOLLOW_UP_DAYS, "instruments": counts}
