"""The registry page as one query: the reader's rows, a flag filter, a sort and a page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, true

from referrals.access import REFERRING_ROLES
from registry.measures import ENGAGED_DAYS, RESCREEN_DAYS, RESPONSE_WEEKS
from registry.models import RegistryEntry as E

# Sort keys: a leading "-" sorts descending. Ties fall back to the row id (a stable page).
SORTS = {
    "score": E.latest_score,
    "change": E.latest_score - E.baseline_score,
    "weeks": E.treatment_start,
    "last_screened": E.latest_on,
}
SORT_CHOICES = tuple(key for name in SORTS for key in (name, f"-{name}"))


def flag_clause(flag: str, today: date) -> ColumnElement[bool]:
    """The SQL form of registry.measures.flags for one flag (the parity test holds them equal)."""
    clauses = {
        "no_response": and_(
            not_(E.responded), E.treatment_start <= today - timedelta(weeks=RESPONSE_WEEKS)
        ),
        "remission": E.remission,
        "overdue": E.latest_on < today - timedelta(days=RESCREEN_DAYS),
        "not_engaged": func.coalesce(E.last_visit_on, E.baseline_on)
        < today - timedelta(days=ENGAGED_DAYS),
    }
    return clauses[flag]


def readable_by(actor) -> ColumnElement[bool]:
    """Rows the actor may read: their practice's episodes; a plan's members without Part 2."""
    if actor.role == "admin":
        return true()
    allowed = []
    if actor.role in REFERRING_ROLES and actor.organization_id is not None:
        allowed.append(E.organization_id == actor.organization_id)
    if actor.plan_ids:
        allowed.append(and_(E.plan_id.in_(sorted(actor.plan_ids)), E.plan_member, not_(E.part2)))
    return or_(*allowed) if allowed else false()


def order_by(sort: str) -> list:
    """ORDER BY terms for a sort key."""
    column = SORTS[sort.lstrip("-")]
    return [column.desc() if sort.startswith("-") else column.asc(), E.id.asc()]


def page_where(actor, instrument: str, flag: str | None, today: date) -> list:
    """The WHERE every count and page of the reader's registry shares."""
    where = [readable_by(actor), E.instrument == instrument]
    if flag is not None:
        where.append(flag_clause(flag, today))
    return where


def page_ids(where: list, sort: str, limit: int, offset: int):
    """The page's row ids in order: read from the covering index alone on PostgreSQL."""
    return select(E.id).where(*where).order_by(*order_by(sort)).limit(limit).offset(offset)
