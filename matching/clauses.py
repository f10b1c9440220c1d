"""SQL pieces for the embedded backend: per-clinician code lists and required-need filters.

Only needs that are cheap and exact in SQL on both SQLite and PostgreSQL go here; the rest
(JSON arrays, distance) are checked in Python by filters.admits on the rows that come back.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, exists, func, or_, select

from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianTaxonomy,
    License,
    Location,
    NetworkParticipation,
)
from matching.backend import IN_PERSON
from matching.needs import Needs


def aggregate(column, table, *conditions: ColumnElement):
    """Comma-joined `column` over `table`'s rows for the outer query's clinician."""
    return (
        select(func.aggregate_strings(column, ","))
        .where(table.clinician_id == Clinician.id, *conditions)
        .scalar_subquery()
    )


def license_is_current(today: date) -> ColumnElement:
    """A license without an expiry date, or expiring today or later."""
    return or_(License.expires_on.is_(None), License.expires_on >= today)


def current_license_states(today: date):
    """The states of the clinician's current licenses."""
    return aggregate(License.state, License, license_is_current(today))


def in_plan(network_ids: frozenset[str], visit: str) -> ColumnElement:
    """Participates in one of the networks, at this location (or all) for in-person visits."""
    conditions = [
        NetworkParticipation.clinician_id == Clinician.id,
        NetworkParticipation.network_id.in_(sorted(network_ids)),
    ]
    if visit == IN_PERSON:
        conditions.append(
            or_(
                NetworkParticipation.location_id.is_(None),
                NetworkParticipation.location_id == Location.id,
            )
        )
    return exists().where(*conditions)


def _has(table, *conditions: ColumnElement) -> ColumnElement:
    return exists().where(table.clinician_id == Clinician.id, *conditions)


def _among(table, *conditions: ColumnElement) -> ColumnElement:
    """Like _has, but uncorrelated: SQLite builds the (small) id set once, not once per row."""
    return Clinician.id.in_(select(table.clinician_id).where(*conditions))


def always_required(needs: Needs, accepting: ColumnElement, visit: str) -> list[ColumnElement]:
    """Active, not known to be closed to new patients, and in the plan."""
    clauses = [Clinician.active.is_(True)]
    if needs.accepting_new_patients:
        # NULL (unknown) passes: only a known "no" is removed.
        clauses.append(accepting.is_not(False))
    if needs.plan is not None:
        clauses.append(in_plan(needs.plan.network_ids, visit))
    return clauses


def selected_required(needs: Needs, visit: str) -> list[ColumnElement]:
    """The caller-selectable needs that are required and exact in SQL."""
    clauses = []
    if needs.requires("languages") and needs.languages:
        clauses.append(_among(ClinicianLanguage, ClinicianLanguage.code.in_(needs.languages)))
    if needs.requires("clinician_gender") and needs.clinician_gender:
        clauses.append(Clinician.gender == needs.clinician_gender)
    if needs.requires("cultural_preferences"):
        clauses += [
            _among(ClinicianCompetency, ClinicianCompetency.code == code)
            for code in needs.cultural_preferences
        ]
    if needs.requires("specialties") and needs.specialty_codes:
        codes = sorted(needs.specialty_codes)
        clauses.append(_has(ClinicianTaxonomy, ClinicianTaxonomy.code.in_(codes)))
    if visit == IN_PERSON and needs.requires("availability"):
        clauses += [getattr(Location, f"{code}_hours").is_(True) for code in needs.availability]
    return clauses + cost_required(needs)


# Payment word -> the columns any of which says yes (directory.cost.Cost.answer).
_TAKES = {
    "uninsured": (Clinician.accepts_uninsured, Clinician.free_care, Clinician.sliding_scale),
    "medicaid": (Clinician.accepts_medicaid,),
    "medicare": (Clinician.accepts_medicare,),
    "free": (Clinician.free_care,),
    "sliding_scale": (Clinician.sliding_scale,),
}


def cost_required(needs: Needs) -> list[ColumnElement]:
    """Required payment words (any of them) and a self-pay fee within max_fee."""
    clauses = []
    if needs.requires("payment") and needs.payment:
        columns = [column for p in needs.payment for column in _TAKES[p]]
        clauses.append(or_(*(column.is_(True) for column in columns)))
    if needs.requires("max_fee") and needs.max_fee is not None:
        clauses.append(or_(Clinician.free_care.is_(True), Clinician.fee_min <= needs.max_fee))
    return clauses
