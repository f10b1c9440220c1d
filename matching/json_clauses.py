"""Required needs on JSON-array columns, as exact SQL on both SQLite and PostgreSQL.

The arrays hold vocabulary codes written by SQLAlchemy's JSON type (json.dumps), so a code is
in the array exactly when the column's text contains it in double quotes. LIKE wildcards in
codes (the "_" of "in_person") are escaped. With these, every required need except the exact
radius is decided in SQL, so counting needs only narrow rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Text, and_, cast, exists, false, func, not_, or_

from directory.models import Clinician, ClinicianTaxonomy, Location
from matching.backend import IN_PERSON
from matching.needs import Needs


def _text(column) -> ColumnElement:
    return func.coalesce(cast(column, Text), "")


def has_code(column, code: str) -> ColumnElement:
    """The JSON array in `column` holds `code`."""
    return _text(column).contains(f'"{code}"', autoescape=True)


def is_empty(column) -> ColumnElement:
    """The JSON array in `column` is missing, null or empty."""
    return _text(column).in_(("", "null", "[]"))


def _fits(kind: str, code: str, taxonomies: tuple[str, ...]) -> ColumnElement:
    """Treats the concern, or holds a taxonomy that suits it (criteria._fit_share > 0)."""
    by_taxonomy = exists().where(
        ClinicianTaxonomy.clinician_id == Clinician.id,
        or_(false(), *(ClinicianTaxonomy.code.startswith(t, autoescape=True) for t in taxonomies)),
    )
    if kind == "concern":
        return or_(has_code(Clinician.conditions_treated, code), by_taxonomy)
    return by_taxonomy


def listing_rules(needs: Needs, visit: str) -> list[ColumnElement]:
    """Ages served, does-not-treat and how the clinician sees patients (filters.HARD_RULES)."""
    clauses = [not_(has_code(Clinician.conditions_not_treated, c)) for c in needs.concerns]
    if needs.age_groups:
        ages = [has_code(Clinician.age_groups, g) for g in sorted(needs.age_groups)]
        clauses.append(or_(is_empty(Clinician.age_groups), *ages))
    if visit == IN_PERSON:
        modalities = Clinician.modalities
        clauses.append(or_(is_empty(modalities), has_code(modalities, "in_person")))
    else:
        clauses.append(
            or_(has_code(Clinician.modalities, "video"), has_code(Clinician.modalities, "phone"))
        )
    return clauses


def json_required(needs: Needs, visit: str, today: date) -> list[ColumnElement]:
    """Required concerns, accessibility, availability and wait (criteria.findings)."""
    clauses = []
    if needs.requires("concerns"):
        clauses += [_fits(i.kind, i.code, i.taxonomies) for i in needs.fit_items]
    if visit == IN_PERSON and needs.requires("accessibility"):
        clauses += [has_code(Location.accessibility, a) for a in needs.accessibility]
    if visit != IN_PERSON and needs.requires("availability") and needs.availability:
        clauses.append(false())  # no hours on file for telehealth
    if needs.requires("max_wait_days") and needs.max_wait_days is not None:
        latest = today + timedelta(days=needs.max_wait_days)
        clauses.append(
            or_(
                Clinician.next_available_on <= latest,
                and_(
                    Clinician.next_available_on.is_(None),
                    Clinician.wait_days <= needs.max_wait_days,
                ),
            )
        )
    return clauses
