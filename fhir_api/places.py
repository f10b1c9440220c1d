"""Locations, organizations, networks and plans as Plan-Net resources.

The inverses of ingest/plan_net_locations.py and plan_net_organizations.py: address, position,
hours, accessibility and phone for a Location; name, NPI, type and telecom for an Organization;
a Network is an Organization of type ntwk part of its payer; an InsurancePlan names its product
type, its payer and its networks.
"""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models import Location, Network, Organization
from fhir_api.codes import (
    ACCESSIBILITY_CODES,
    ACCESSIBILITY_EXT,
    NPI_SYSTEM,
    NUCC_SYSTEM,
    ORGANIZATION_TAXONOMIES,
    ORGANIZATION_TYPES,
    PRODUCT_TYPE_CODES,
    QUALIFICATION_EXT,
    concept,
    meta,
    plan_net_concept,
)
from fhir_api.ids import network_fhir_id, row_id
from fhir_api.times import instant


def _present(resource: dict) -> dict:
    """Leave out members with no value (FHIR forbids empty arrays and objects)."""
    return {key: value for key, value in resource.items() if value not in ([], {}, None, "")}


def _hours(location: Location) -> list[dict]:
    """hoursOfOperation; 00:00-24:00 is allDay (the loader's reading of allDay)."""
    found = []
    for slot in location.hours or []:
        item = {"daysOfWeek": list(slot.get("days") or [])}
        if (slot.get("opens"), slot.get("closes")) == ("00:00", "24:00"):
            item["allDay"] = True
        else:
            if slot.get("opens"):
                item["openingTime"] = f"{slot['opens']}:00"
            if slot.get("closes"):
                item["closingTime"] = f"{slot['closes']}:00"
        if item["daysOfWeek"]:
            found.append(item)
    return found


def location_resource(location: Location) -> dict:
    """The Plan-Net Location for a place of care."""
    lines = [line for line in (location.line1, location.line2) if line]
    accessibility = [
        {
            "url": ACCESSIBILITY_EXT,
            "valueCodeableConcept": plan_net_concept("AccessibilityCS", ACCESSIBILITY_CODES[term]),
        }
        for term in location.accessibility or []
        if term in ACCESSIBILITY_CODES
    ]
    resource = {
        "resourceType": "Location",
        "id": row_id("loc", location.id, location.external_id),
        "meta": meta("Location", instant(location.updated_at)),
        "extension": accessibility,
        "status": "active",
        "name": location.name,
        "telecom": [{"system": "phone", "value": location.phone}] if location.phone else [],
        "address": _present(
            {
                "line": lines,
                "city": location.city,
                "state": location.state,
                "postalCode": location.postal_code,
                "country": "US",
            }
        ),
        "hoursOfOperation": _hours(location),
    }
    if location.lat is not None and location.lon is not None:
        resource["position"] = {"latitude": location.lat, "longitude": location.lon}
    owner = location.organization
    if owner is not None:
        resource["managingOrganization"] = {
            "reference": f"Organization/{row_id('org', owner.id, owner.external_id)}",
            "display": owner.name,
        }
    return _present(resource)


def organization_resource(org: Organization) -> dict:
    """The Plan-Net Organization for a practice, clinic, hospital or payer."""
    code = ORGANIZATION_TYPES.get(org.kind)
    kind = plan_net_concept("OrgTypeCS", *code) if code else {"text": org.kind}
    taxonomy = ORGANIZATION_TAXONOMIES.get(org.kind)
    qualification = []
    if taxonomy:
        code_ext = {"url": "code", "valueCodeableConcept": concept(NUCC_SYSTEM, taxonomy)}
        qualification = [{"url": QUALIFICATION_EXT, "extension": [code_ext]}]
    telecom = [{"system": "phone", "value": org.phone}] if org.phone else []
    if org.website:
        telecom.append({"system": "url", "value": org.website})
    return _present(
        {
            "resourceType": "Organization",
            "id": row_id("org", org.id, org.external_id),
            "meta": meta("Organization", instant(org.updated_at)),
            "extension": qualification,
            "identifier": [{"system": NPI_SYSTEM, "value": org.npi}] if org.npi else [],
            "active": True,
            "type": [kind],
            "name": org.name,
            "telecom": telecom,
        }
    )


def payer_reference(payer: str | None) -> dict | None:
    """The payer by reference when its Organization is listed, else by name only."""
    if not payer:
        return None
    org = db.session.scalar(
        select(Organization)
        .where(Organization.name == payer, Organization.kind == "health_plan")
        .order_by(Organization.id)
        .limit(1)
    )
    if org is None:
        return {"display": payer}
    return {"reference": f"Organization/{row_id('org', org.id, org.external_id)}", "display": payer}


def network_resource(network: Network) -> dict:
    """The Plan-Net Network (an Organization of type ntwk) for a provider network."""
    return _present(
        {
            "resourceType": "Organization",
            "id": network_fhir_id(network.id),
            "meta": meta("Network", instant(network.updated_at)),
            "active": True,
            "type": [plan_net_concept("OrgTypeCS", "ntwk", "Network")],
            "name": network.name,
            "partOf": payer_reference(network.payer),
        }
    )


def _product_type(plan: Network) -> dict:
    code = PRODUCT_TYPE_CODES.get(plan.plan_type or "")
    if code:
        return plan_net_concept("InsuranceProductTypeCS", code, plan.plan_type)
    return {"text": plan.plan_type or "plan"}


def is_network(network: Network) -> bool:
    """A provider network, or a plan without networks (participations name the plan itself)."""
    return network.kind == "network" or not network.networks


def insurance_plan_resource(plan: Network) -> dict:
    """The Plan-Net InsurancePlan for a plan product; one without networks is its own."""
    payer = payer_reference(plan.payer)
    return _present(
        {
            "resourceType": "InsurancePlan",
            "id": network_fhir_id(plan.id),
            "meta": meta("InsurancePlan", instant(plan.updated_at)),
            "status": "active",
            "type": [_product_type(plan)],
            "name": plan.name,
            "ownedBy": payer,
            "administeredBy": payer,
            "network": [
                {"reference": f"Organization/{network_fhir_id(n.id)}", "display": n.name}
                for n in plan.networks or [plan]
            ],
        }
    )
