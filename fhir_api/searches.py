"""Run a search or a read per resource type: count, page, load the rows, build the resources."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from directory.cost import COST_FACTS
from directory.extensions import db
from directory.facts import current_many
from directory.models import (
    Clinician,
    ClinicianLocation,
    Location,
    Network,
    NetworkParticipation,
    Organization,
)
from fhir_api.clinician_search import practitioner_query, role_query, service_query
from fhir_api.ids import parse_role_id, parse_service_id
from fhir_api.params import Search
from fhir_api.place_search import location_query, near_filter, organization_queries, plan_query
from fhir_api.places import (
    insurance_plan_resource,
    is_network,
    location_resource,
    network_resource,
    organization_resource,
)
from fhir_api.practitioners import practitioner
from fhir_api.resolve import location_pk, network_by_fhir_id, organization_pk
from fhir_api.roles import healthcare_service, role

Page = tuple[int, list[dict]]

CLINICIAN_LOADS = (
    selectinload(Clinician.taxonomies),
    selectinload(Clinician.languages),
    selectinload(Clinician.licenses),
    selectinload(Clinician.locations)
    .selectinload(ClinicianLocation.location)
    .selectinload(Location.organization),
    selectinload(Clinician.locations).selectinload(ClinicianLocation.organization),
    selectinload(Clinician.participations)
    .selectinload(NetworkParticipation.network)
    .selectinload(Network.networks),
)


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _page_ids(query: Select, search: Search) -> tuple[int, list]:
    """The total and this page's ids (or id pairs) of an ordered id query."""
    total = _count(query)
    if search.count == 0 or search.offset >= total:
        return total, []
    rows = db.session.execute(query.limit(search.count).offset(search.offset)).all()
    return total, [row if len(row) > 1 else row[0] for row in rows]


def clinicians_by_id(ids) -> dict[int, Clinician]:
    """Active clinicians with everything the resources show, by row id."""
    query = select(Clinician).where(Clinician.id.in_(sorted(set(ids)))).options(*CLINICIAN_LOADS)
    return {c.id: c for c in db.session.scalars(query)}


def search_practitioners(search: Search) -> Page:
    """Practitioner search."""
    total, ids = _page_ids(practitioner_query(search), search)
    found = clinicians_by_id(ids)
    return total, [practitioner(found[i]) for i in ids]


def search_services(search: Search) -> Page:
    """HealthcareService search."""
    total, ids = _page_ids(service_query(search), search)
    found = clinicians_by_id(ids)
    # Cost facts for the page in one query, not one per service.
    facts = current_many("clinician", ids, kinds=COST_FACTS)
    return total, [healthcare_service(found[i], facts.get(i, [])) for i in ids]


def _role_of(clinician: Clinician, location_id: int | None) -> dict:
    link = next((x for x in clinician.locations if x.location_id == location_id), None)
    return role(clinician, link)


def search_roles(search: Search) -> Page:
    """PractitionerRole search."""
    total, pairs = _page_ids(role_query(search), search)
    found = clinicians_by_id(cid for cid, _ in pairs)
    return total, [_role_of(found[cid], lid) for cid, lid in pairs]


def search_locations(search: Search) -> Page:
    """Location search; near= is checked exactly after the SQL bounding box."""
    query = location_query(search)
    if not search.all("near"):
        total, ids = _page_ids(query, search)
        rows = _locations(ids)
        return total, [location_resource(rows[i]) for i in ids]
    places = near_filter(search, list(_locations(db.session.scalars(query).all()).values()))
    places.sort(key=lambda loc: loc.id)
    page = places[search.offset : search.offset + search.count]
    return len(places), [location_resource(loc) for loc in page]


def _locations(ids) -> dict[int, Location]:
    query = select(Location).where(Location.id.in_(list(ids)))
    return {
        loc.id: loc
        for loc in db.session.scalars(query.options(selectinload(Location.organization)))
    }


def search_organizations(search: Search) -> Page:
    """Organization search: networks first (by id), then practices and payers (by row id)."""
    networks, orgs = organization_queries(search)
    network_total = _count(networks) if networks is not None else 0
    org_total = _count(orgs)
    start, end = search.offset, search.offset + search.count
    out: list[dict] = []
    if networks is not None and start < network_total:
        ids = db.session.scalars(networks.limit(end - start).offset(start)).all()
        out += [network_resource(db.session.get(Network, i)) for i in ids]
    if len(out) < search.count and end > network_total:
        skip = max(0, start - network_total)
        ids = db.session.scalars(orgs.limit(search.count - len(out)).offset(skip)).all()
        out += [organization_resource(db.session.get(Organization, i)) for i in ids]
    return network_total + org_total, out


def search_plans(search: Search) -> Page:
    """InsurancePlan search."""
    total, ids = _page_ids(plan_query(search), search)
    return total, [insurance_plan_resource(db.session.get(Network, i)) for i in ids]


def read_practitioner(fhir_id: str) -> dict | None:
    """One Practitioner by NPI."""
    found = db.session.scalar(
        select(Clinician).where(Clinician.npi == fhir_id, Clinician.active.is_(True))
    )
    return practitioner(clinicians_by_id([found.id])[found.id]) if found else None


def _clinician_by_npi(npi: str) -> Clinician | None:
    found = db.session.scalar(
        select(Clinician.id).where(Clinician.npi == npi, Clinician.active.is_(True))
    )
    return clinicians_by_id([found])[found] if found else None


def read_role(fhir_id: str) -> dict | None:
    """One PractitionerRole."""
    key = parse_role_id(fhir_id)
    clinician = _clinician_by_npi(key.npi) if key else None
    if clinician is None:
        return None
    placed = {link.location_id for link in clinician.locations}
    if (key.location_id is None and placed) or (
        key.location_id is not None and key.location_id not in placed
    ):
        return None
    return _role_of(clinician, key.location_id)


def read_service(fhir_id: str) -> dict | None:
    """One HealthcareService."""
    npi = parse_service_id(fhir_id)
    clinician = _clinician_by_npi(npi) if npi else None
    return healthcare_service(clinician) if clinician else None


def read_location(fhir_id: str) -> dict | None:
    """One Location."""
    pk = location_pk(fhir_id)
    return location_resource(db.session.get(Location, pk)) if pk is not None else None


def read_organization(fhir_id: str) -> dict | None:
    """One Organization: a network, else a practice or payer."""
    network = network_by_fhir_id(fhir_id)
    if network is not None and is_network(network):
        return network_resource(network)
    pk = organization_pk(fhir_id)
    if pk is None:
        return None
    return organization_resource(db.session.get(Organization, pk))


def read_plan(fhir_id: str) -> dict | None:
    """One InsurancePlan."""
    plan = network_by_fhir_id(fhir_id)
    return insurance_plan_resource(plan) if plan is not None and plan.kind == "plan" else None
