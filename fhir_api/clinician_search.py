"""SQL for Practitioner, PractitionerRole and HealthcareService searches (all about clinicians).

Only active clinicians are served, as on /api/v1. A PractitionerRole is a (clinician, location)
row, or a clinician without a location; role searches run over the union of the two.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, null, or_, select

from directory.acceptance import accepting_clause, not_accepting_clause
from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    Location,
    NetworkParticipation,
    plan_network,
)
from fhir_api.clauses import any_of, string_clauses, token_codes
from fhir_api.codes import BCP47_SYSTEM, NPI_SYSTEM, NUCC_SYSTEM
from fhir_api.ids import parse_role_id, parse_service_id
from fhir_api.params import Search, SearchError, reference_id
from fhir_api.resolve import location_pk, network_by_fhir_id, organization_pk
from fhir_api.times import date_clause

ACCEPTING_CODES = {"newpt": True, "nopt": False}


def clinician_clauses(search: Search) -> list[ColumnElement]:
    """Clauses on the clinician itself, shared by the three resource types."""
    out: list[ColumnElement] = [Clinician.active.is_(True)]
    for group in search.all("identifier"):
        out.append(Clinician.npi.in_(token_codes(group, NPI_SYSTEM, "identifier")))
    for group in search.all("practitioner"):
        out.append(Clinician.npi.in_([reference_id(v, "Practitioner") for v in group]))
    for name in ("specialty", "qualification-code"):
        for group in search.all(name):
            codes = [c.upper() for c in token_codes(group, NUCC_SYSTEM, name)]
            out.append(
                exists().where(
                    ClinicianTaxonomy.clinician_id == Clinician.id,
                    ClinicianTaxonomy.code.in_(codes),
                )
            )
    for name in ("language", "communication"):
        for group in search.all(name):
            codes = [c.split("-")[0].lower() for c in token_codes(group, BCP47_SYSTEM, name)]
            out.append(
                exists().where(
                    ClinicianLanguage.clinician_id == Clinician.id,
                    ClinicianLanguage.code.in_(codes),
                )
            )
    out += string_clauses(search, "family", [Clinician.last_name])
    out += string_clauses(search, "given", [Clinician.first_name, Clinician.middle_name])
    out += string_clauses(search, "name", [Clinician.first_name, Clinician.last_name])
    out += [date_clause(Clinician.updated_at, d) for d in search.dates("_lastUpdated")]
    return out


def practitioner_query(search: Search) -> Select:
    """Ids of matching clinicians for a Practitioner search, by NPI."""
    clauses = clinician_clauses(search)
    for group in search.all("_id"):
        clauses.append(Clinician.npi.in_(group))
    return select(Clinician.id).where(*clauses).order_by(Clinician.npi)


def service_query(search: Search) -> Select:
    """Ids of matching clinicians for a HealthcareService search (one service each)."""
    clauses = clinician_clauses(search)
    for group in search.all("_id"):
        clauses.append(Clinician.npi.in_([parse_service_id(v) or "" for v in group]))
    for group in search.all("category"):
        if "behav" not in token_codes(group, None, "category"):
            clauses.append(false())
    for group in search.all("location"):
        pks = [location_pk(reference_id(v, "Location")) for v in group]
        clauses.append(
            exists().where(
                ClinicianLocation.clinician_id == Clinician.id,
                ClinicianLocation.location_id.in_([pk for pk in pks if pk is not None]),
            )
        )
    for group in search.all("new-patient"):
        # Accepting somewhere, or known not to be anywhere (directory.acceptance).
        wanted = _accepting(group)
        clauses.append(
            any_of([accepting_clause() if w else not_accepting_clause() for w in wanted])
        )
    return select(Clinician.id).where(*clauses).order_by(Clinician.npi)


def _accepting(group: list[str]) -> list[bool]:
    codes = token_codes(group, None, "new-patient")
    unknown = [c for c in codes if c not in ACCEPTING_CODES]
    if unknown:
        raise SearchError("new-patient takes newpt or nopt (AcceptingPatientsCS)", "new-patient")
    return [ACCEPTING_CODES[c] for c in codes]


def network_ids(value: str) -> list[str]:
    """A network and the plans that use it: participations in either put a clinician in it."""
    network = network_by_fhir_id(reference_id(value, "Organization"))
    if network is None:
        return []
    plans = select(plan_network.c.plan_id).where(plan_network.c.network_id == network.id)
    return [network.id, *db.session.scalars(plans)]


def role_query(search: Search) -> Select:
    """(clinician id, location id or NULL) of matching roles, by clinician then location."""
    common = clinician_clauses(search)
    at_place = list(common)
    no_place = [*common, ~exists().where(ClinicianLocation.clinician_id == Clinician.id)]
    _role_ids(search, at_place, no_place)
    for group in search.all("network"):
        ids = [i for value in group for i in network_ids(value)]
        at_place.append(_in_network(ids, ClinicianLocation.location_id))
        no_place.append(_in_network(ids, None))
    for group in search.all("new-patient"):
        wanted = _accepting(group)
        effective = func.coalesce(
            ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients
        )
        at_place.append(any_of([effective.is_(w) for w in wanted]))
        no_place.append(any_of([Clinician.accepting_new_patients.is_(w) for w in wanted]))
    _place_filters(search, at_place, no_place)
    # An explicit join: as a WHERE term it vanished when a filter matched nothing (an _id that
    # names no role is false(), and SQLAlchemy folds "x AND false" to false), leaving a
    # cartesian product of the two tables in the statement.
    placed = (
        select(Clinician.id.label("cid"), ClinicianLocation.location_id.label("lid"))
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .where(*at_place)
    )
    unplaced = select(Clinician.id.label("cid"), null().label("lid")).where(*no_place)
    both = placed.union_all(unplaced).subquery()
    return select(both.c.cid, both.c.lid).order_by(both.c.cid, both.c.lid)


def _role_ids(search: Search, at_place: list, no_place: list) -> None:
    for group in search.all("_id"):
        keys = [k for k in (parse_role_id(v) for v in group) if k is not None]
        at_place.append(
            any_of(
                [
                    and_(Clinician.npi == k.npi, ClinicianLocation.location_id == k.location_id)
                    for k in keys
                    if k.location_id is not None
                ]
            )
        )
        no_place.append(Clinician.npi.in_([k.npi for k in keys if k.location_id is None]))


def _place_filters(search: Search, at_place: list, no_place: list) -> None:
    """location= and organization= match roles at a place only."""
    for group in search.all("location"):
        pks = [location_pk(reference_id(v, "Location")) for v in group]
        at_place.append(ClinicianLocation.location_id.in_([p for p in pks if p is not None]))
        no_place.append(false())
    for group in search.all("organization"):
        pks = [organization_pk(reference_id(v, "Organization")) for v in group]
        pks = [p for p in pks if p is not None]
        owned = select(Location.id).where(Location.organization_id.in_(pks))
        at_place.append(
            or_(
                ClinicianLocation.organization_id.in_(pks),
                ClinicianLocation.location_id.in_(owned),
            )
        )
        no_place.append(false())


def _in_network(ids: list[str], location_column) -> ColumnElement:
    """A participation in one of `ids` covering the place (every place when it names none)."""
    where = [NetworkParticipation.clinician_id == Clinician.id]
    where.append(NetworkParticipation.network_id.in_(ids))
    if location_column is None:
        where.append(NetworkParticipation.location_id.is_(None))
    else:
        where.append(
            or_(
                NetworkParticipation.location_id.is_(None),
                NetworkParticipation.location_id == location_column,
            )
        )
    return exists().where(*where)
