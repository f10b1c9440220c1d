"""Directory reads as SQLAlchemy selects: one small clause builder per filter.

Each builder takes the clean ClinicianFilter and returns a clause or None. Child tables are
filtered with EXISTS so a clinician never repeats and no DISTINCT is needed; the count runs
as its own query and children are loaded with selectinload for the requested page only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import raiseload, selectinload

from directory.acceptance import accepting_clause, not_accepting_clause
from directory.models import (
    Clinician,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
)
from directory.taxonomy import expand_specialties


@dataclass(frozen=True)
class ClinicianFilter:
    """Validated search criteria; None (or no networks) means "do not filter on this"."""

    npi: str | None = None
    name: str | None = None
    taxonomy: str | None = None
    language: str | None = None
    # A plan's own id plus its networks' ids (Network.network_ids()).
    networks: frozenset[str] | None = None
    state: str | None = None
    accepting_new_patients: bool | None = None
    limit: int = 20
    offset: int = 0
    # Licenses that expired before this day do not place a clinician in a state.
    licensed_on: date = field(default_factory=date.today)


ClauseBuilder = Callable[[ClinicianFilter], ColumnElement | None]


def npi_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Exact NPI."""
    return Clinician.npi == criteria.npi if criteria.npi else None


def name_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Every word of the name is a case-insensitive substring of the first or last name."""
    if not criteria.name:
        return None
    words = criteria.name.replace(",", " ").split()
    return and_(
        *(
            or_(
                Clinician.first_name.icontains(word, autoescape=True),
                Clinician.last_name.icontains(word, autoescape=True),
            )
            for word in words
        )
    )


def taxonomy_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Holds the NUCC code, or for a classification code any of its specializations."""
    if not criteria.taxonomy:
        return None
    codes = sorted(expand_specialties([criteria.taxonomy]))
    return exists().where(
        ClinicianTaxonomy.clinician_id == Clinician.id, ClinicianTaxonomy.code.in_(codes)
    )


def language_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Offers care in the ISO 639-1 language."""
    if not criteria.language:
        return None
    return exists().where(
        ClinicianLanguage.clinician_id == Clinician.id, ClinicianLanguage.code == criteria.language
    )


def plan_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Participates in the plan or any of its networks, at any location."""
    if criteria.networks is None:
        return None
    return exists().where(
        NetworkParticipation.clinician_id == Clinician.id,
        NetworkParticipation.network_id.in_(sorted(criteria.networks)),
    )


def state_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Practises at a location in the state or holds a current license there."""
    if not criteria.state:
        return None
    located = exists().where(
        ClinicianLocation.clinician_id == Clinician.id,
        ClinicianLocation.location_id == Location.id,
        Location.state == criteria.state,
    )
    licensed = exists().where(
        License.clinician_id == Clinician.id,
        License.state == criteria.state,
        or_(License.expires_on.is_(None), License.expires_on >= criteria.licensed_on),
    )
    return or_(located, licensed)


def accepting_new_patients_clause(criteria: ClinicianFilter) -> ColumnElement | None:
    """Accepting (or known not to be accepting) new patients somewhere."""
    if criteria.accepting_new_patients is None:
        return None
    return accepting_clause() if criteria.accepting_new_patients else not_accepting_clause()


CLAUSE_BUILDERS: tuple[ClauseBuilder, ...] = (
    npi_clause,
    name_clause,
    taxonomy_clause,
    language_clause,
    plan_clause,
    state_clause,
    accepting_new_patients_clause,
)


def filter_clauses(criteria: ClinicianFilter) -> list[ColumnElement]:
    """Active clinicians plus every clause the criteria ask for."""
    built = (build(criteria) for build in CLAUSE_BUILDERS)
    return [Clinician.active.is_(True), *(clause for clause in built if clause is not None)]


def count_query(criteria: ClinicianFilter) -> Select:
    """How many clinicians match, ignoring limit and offset."""
    return select(func.count(Clinician.id)).where(*filter_clauses(criteria))


# Children each result shows; raiseload turns any other lazy load into an error, not N+1.
SUMMARY_LOADS = (
    selectinload(Clinician.taxonomies),
    selectinload(Clinician.languages),
    selectinload(Clinician.locations).selectinload(ClinicianLocation.location),
    selectinload(Clinician.participations),
)
DETAIL_LOADS = (
    *SUMMARY_LOADS,
    selectinload(Clinician.licenses),
    selectinload(Clinician.competencies),
)


def page_query(criteria: ClinicianFilter) -> Select:
    """One page of matching clinicians by last name, first name, NPI, children eager-loaded."""
    return (
        select(Clinician)
        .where(*filter_clauses(criteria))
        .order_by(Clinician.last_name, Clinician.first_name.asc().nulls_first(), Clinician.npi)
        .limit(criteria.limit)
        .offset(criteria.offset)
        .options(*SUMMARY_LOADS, raiseload("*", sql_only=True))
    )


def clinician_query(npi: str) -> Select:
    """The active clinician with this NPI, with everything the detail view shows."""
    return (
        select(Clinician)
        .where(Clinician.npi == npi, Clinician.active.is_(True))
        .options(*DETAIL_LOADS, raiseload("*", sql_only=True))
    )


def plans_query() -> Select:
    """Every plan and network by name, with the networks each plan uses."""
    return (
        select(Network)
        .order_by(Network.name, Network.id)
        .options(selectinload(Network.networks), raiseload("*", sql_only=True))
    )


def plan_query(plan_id: str) -> Select:
    """One plan or network by id, with its networks."""
    return (
        select(Network)
        .where(Network.id == plan_id)
        .options(selectinload(Network.networks), raiseload("*", sql_only=True))
    )
