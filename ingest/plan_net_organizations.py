"""Plan-Net Organization and InsurancePlan resources as organizations, networks and plans."""

from dataclasses import dataclass

from directory.npi import npi_error
from directory.plan_net_codes import COMMUNITY_MENTAL_HEALTH_CENTER, PRODUCT_TYPES
from directory.taxonomy import is_behavioral_health
from ingest.fhir_elements import (
    NPI_SYSTEMS,
    NUCC_SYSTEMS,
    ResourceFault,
    all_codes,
    bounded,
    codes,
    extensions,
    identifier,
    telecom,
)
from ingest.fhir_index import Indexed, ResourceIndex

# OrgTypeCS -> Organization.kind; facilities, atypical providers and businesses are "other".
ORGANIZATION_KINDS = {"prvgrp": "group_practice", "payer": "health_plan"}


@dataclass
class OrganizationFacts:
    """An Organization row as Plan-Net describes it."""

    external_id: str
    name: str
    kind: str
    npi: str | None
    phone: str | None
    website: str | None


@dataclass
class NetworkFacts:
    """A Network row: a provider network (Organization ntwk) or a plan (InsurancePlan)."""

    id: str
    name: str
    kind: str
    plan_type: str | None
    payer: str | None
    network_ids: list[str] | None = None  # a plan's networks


def is_network(resource: dict) -> bool:
    """True for an Organization of OrgTypeCS type ntwk."""
    return "ntwk" in all_codes(resource.get("type"), "OrgTypeCS")


def organization_facts(org: Indexed) -> OrganizationFacts:
    """An Organization (not a network) as an Organization row."""
    resource = org.resource
    name = bounded(resource.get("name"), 200, "Organization.name")
    if not name:
        raise ResourceFault("Organization.name", "Organization has no name")
    npi = identifier(resource, NPI_SYSTEMS)
    if npi is not None and npi_error(npi):
        raise ResourceFault("Organization.identifier", npi_error(npi), npi)
    return OrganizationFacts(
        external_id=org.id,
        name=name,
        kind=organization_kind(resource),
        npi=npi,
        phone=bounded(telecom(resource, "phone"), 30, "Organization.telecom"),
        website=bounded(telecom(resource, "url"), 300, "Organization.telecom"),
    )


def organization_kind(resource: dict) -> str:
    """Organization.kind from the NUCC qualification codes, else from the OrgTypeCS type."""
    taxonomies = extension_taxonomies(resource)
    if COMMUNITY_MENTAL_HEALTH_CENTER in taxonomies:
        return "cmhc"
    if any(code.startswith("28") for code in taxonomies):  # NUCC "Hospitals" grouping
        return "hospital"
    if is_behavioral_health(taxonomies, "organization"):
        return "bh_practice"
    types = all_codes(resource.get("type"), "OrgTypeCS")
    return next((ORGANIZATION_KINDS[t] for t in types if t in ORGANIZATION_KINDS), "other")


def extension_taxonomies(resource: dict) -> list[str]:
    """NUCC codes of the Plan-Net `qualification` extension (on Organization, PractitionerRole)."""
    found: list[str] = []
    for ext in extensions(resource, "qualification"):
        for sub in extensions(ext, "code"):
            found.extend(codes(sub.get("valueCodeableConcept"), NUCC_SYSTEMS))
    return found


def network_facts(org: Indexed, index: ResourceIndex) -> NetworkFacts:
    """An Organization of type ntwk as a Network; the payer is the organization it is part of."""
    name = bounded(org.resource.get("name"), 200, "Organization.name")
    if not name:
        raise ResourceFault("Organization.name", "network Organization has no name")
    if len(org.id) > 64:
        raise ResourceFault("Organization.id", "network id longer than 64 characters", org.id)
    owner = index.resolve(org.resource.get("partOf"), "Organization.partOf", "Organization")
    payer = owner.resource.get("name") if owner else None
    return NetworkFacts(org.id, name, "network", None, bounded(payer, 200, "Organization.partOf"))


def plan_facts(plan: Indexed, index: ResourceIndex) -> NetworkFacts:
    """An InsurancePlan as a Network of kind plan, with the networks it lists anywhere."""
    resource = plan.resource
    name = bounded(resource.get("name"), 200, "InsurancePlan.name")
    if not name:
        raise ResourceFault("InsurancePlan.name", "InsurancePlan has no name")
    if len(plan.id) > 64:
        raise ResourceFault("InsurancePlan.id", "plan id longer than 64 characters", plan.id)
    owner = index.resolve(resource.get("ownedBy"), "InsurancePlan.ownedBy", "Organization")
    owner = owner or index.resolve(
        resource.get("administeredBy"), "InsurancePlan.administeredBy", "Organization"
    )
    return NetworkFacts(
        id=plan.id,
        name=name,
        kind="plan",
        plan_type=plan_type(resource),
        payer=bounded(owner.resource.get("name"), 200, "InsurancePlan.ownedBy") if owner else None,
        network_ids=plan_networks(resource, index),
    )


def plan_type(resource: dict) -> str | None:
    """The product type: PPO, HMO, QHP...; an unknown code is kept as its display or code."""
    for concept in resource.get("type") or []:
        for coding in concept.get("coding") or []:
            code = coding.get("code")
            if code in PRODUCT_TYPES:
                return PRODUCT_TYPES[code]
            if code:
                return str(coding.get("display") or code)[:40]
    return None


def plan_networks(resource: dict, index: ResourceIndex) -> list[str]:
    """Network ids from InsurancePlan.network, coverage.network and plan.network."""
    places = [("InsurancePlan.network", resource.get("network"))]
    for part in ("coverage", "plan"):
        for item in resource.get(part) or []:
            places.append((f"InsurancePlan.{part}.network", item.get("network")))
    ids: list[str] = []
    for field, refs in places:
        for target in index.resolve_all(refs, field, "Organization"):
            if not is_network(target.resource):
                raise ResourceFault(
                    field, f"{target.key} is not a network (OrgTypeCS ntwk)", target.key
                )
            if not target.rejected and target.id not in ids:
                ids.append(target.id)
    return ids
