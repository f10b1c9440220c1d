"""A clinician's PractitionerRoles (one per place, or one without a place) and HealthcareService.

The inverse of ingest/plan_net_roles.py and plan_net_clinicians.py: a role names the place,
the networks that cover the clinician there (network-reference), whether they take new patients
there (newpatients), and the clinician's HealthcareService, whose delivery-method says how care
is given (in person, video, phone).
"""

from __future__ import annotations

from directory.acceptance import accepts_new_patients, location_accepts
from directory.cost import cost_of
from directory.fact_resolution import Finding
from directory.facts import clinician as subject
from directory.facts import current
from directory.models import Clinician, ClinicianLocation, Network
from fhir_api.codes import (
    DELIVERY_METHOD,
    NETWORK_REFERENCE,
    NEW_PATIENTS,
    VIRTUAL_MODALITY_CODES,
    meta,
    plan_net_concept,
)
from fhir_api.cost import cost_extension
from fhir_api.ids import network_fhir_id, role_id, row_id, service_id
from fhir_api.practitioners import ordered_codes, taxonomy_concept
from fhir_api.times import instant


def new_patients(accepting: bool | None) -> list[dict]:
    """The newpatients extension (AcceptingPatientsCS newpt / nopt); none when unknown."""
    if accepting is None:
        return []
    code = "newpt" if accepting else "nopt"
    sub = {
        "url": "acceptingPatients",
        "valueCodeableConcept": plan_net_concept("AcceptingPatientsCS", code),
    }
    return [{"url": NEW_PATIENTS, "extension": [sub]}]


# NDH's resource-instance verification status (NdhVerificationStatusCS).
VERIFICATION_STATUS = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"
VERIFICATION_CODES = "http://hl7.org/fhir/us/ndh/CodeSystem/NdhVerificationStatusCS"
VERIFIED_CONFIDENCE = 0.8  # a plan's own roster, fresh and undisputed, is the bar


def verification_status(findings: list[Finding]) -> list[dict]:
    """complete when every fact we hold is undisputed at 0.8 or more; none when we hold none."""
    if not findings:
        return []
    sure = all(f.confidence >= VERIFIED_CONFIDENCE and not f.conflicts for f in findings)
    code = "complete" if sure else "incomplete"
    concept = {"coding": [{"system": VERIFICATION_CODES, "code": code}]}
    return [{"url": VERIFICATION_STATUS, "valueCodeableConcept": concept}]


def covering_networks(network: Network) -> list[Network]:
    """The networks a participation stands for: a plan's networks, else itself (a network)."""
    return list(network.networks) or [network]


def network_references(clinician: Clinician, location_id: int | None) -> list[dict]:
    """network-reference extensions for the participations that cover `location_id`."""
    found: dict[str, Network] = {}
    for participation in clinician.participations:
        if participation.location_id not in (None, location_id):
            continue
        for network in covering_networks(participation.network):
            found.setdefault(network.id, network)
    return [
        {
            "url": NETWORK_REFERENCE,
            "valueReference": {
                "reference": f"Organization/{network_fhir_id(net.id)}",
                "display": net.name,
            },
        }
        for net in sorted(found.values(), key=lambda n: n.id)
    ]


def _organization(link: ClinicianLocation) -> dict | None:
    org = link.organization or link.location.organization
    if org is None:
        return None
    return {
        "reference": f"Organization/{row_id('org', org.id, org.external_id)}",
        "display": org.name,
    }


def role(clinician: Clinician, link: ClinicianLocation | None) -> dict:
    """The PractitionerRole at one place (`link`), or the one for a clinician without a place."""
    location_id = link.location_id if link is not None else None
    accepting = (
        location_accepts(clinician, link) if link is not None else clinician.accepting_new_patients
    )
    resource = {
        "resourceType": "PractitionerRole",
        "id": role_id(clinician.npi, location_id),
        "meta": meta("PractitionerRole", instant(clinician.updated_at)),
        "extension": network_references(clinician, location_id)
        + new_patients(accepting)
        + verification_status(current(subject(clinician.id))),
        "active": bool(clinician.active),
        "practitioner": {
            "reference": f"Practitioner/{clinician.npi}",
            "display": clinician.display_name,
        },
        "specialty": [taxonomy_concept(code) for code in ordered_codes(clinician)],
        "healthcareService": [{"reference": f"HealthcareService/{service_id(clinician.npi)}"}],
    }
    if link is not None:
        loc = link.location
        resource["location"] = [
            {
                "reference": f"Location/{row_id('loc', loc.id, loc.external_id)}",
                "display": loc.name or loc.address,
            }
        ]
        organization = _organization(link)
        if organization:
            resource["organization"] = organization
        phone = link.phone or loc.phone
        if phone:
            resource["telecom"] = [{"system": "phone", "value": phone}]
    return {key: value for key, value in resource.items() if value != []}


def roles(clinician: Clinician) -> list[dict]:
    """Every PractitionerRole of a clinician, by location row id."""
    links = sorted(clinician.locations, key=lambda link: link.location_id)
    return [role(clinician, link) for link in links] or [role(clinician, None)]


def _delivery(kind: str, modalities: list[str]) -> dict:
    """One delivery-method extension (DeliveryMethodCS, VirtualModalitiesCS)."""
    sub = [{"url": "type", "valueCodeableConcept": plan_net_concept("DeliveryMethodCS", kind)}]
    sub += [
        {
            "url": "virtualModalities",
            "valueCodeableConcept": plan_net_concept("VirtualModalitiesCS", code),
        }
        for code in modalities
    ]
    return {"url": DELIVERY_METHOD, "extension": sub}


def delivery_methods(clinician: Clinician) -> list[dict]:
    """physical for in-person care (or places with no modality said), virtual for video/phone."""
    modalities = set(clinician.modalities or [])
    found = []
    if "in_person" in modalities or (clinician.locations and not modalities):
        found.append(_delivery("physical", []))
    virtual = [VIRTUAL_MODALITY_CODES[m] for m in ("video", "phone") if m in modalities]
    if virtual:
        found.append(_delivery("virtual", virtual))
    return found


def healthcare_service(clinician: Clinician, findings: list[Finding] | None = None) -> dict:
    """The clinician's behavioral-health services: how, where, whether taking patients and
    what it costs (`findings`: the clinician's current facts, read here when not given)."""
    links = sorted(clinician.locations, key=lambda link: link.location_id)
    if findings is None:
        findings = current(subject(clinician.id))
    extensions = delivery_methods(clinician) + new_patients(accepts_new_patients(clinician))
    resource = {
        "resourceType": "HealthcareService",
        "id": service_id(clinician.npi),
        "meta": meta("HealthcareService", instant(clinician.updated_at)),
        "extension": extensions + cost_extension(cost_of(clinician), findings),
        "active": bool(clinician.active),
        "category": [plan_net_concept("HealthcareServiceCategoryCS", "behav", "Behavioral Health")],
        "specialty": [taxonomy_concept(code) for code in ordered_codes(clinician)],
        "location": [
            {"reference": f"Location/{row_id('loc', link.location.id, link.location.external_id)}"}
            for link in links
        ],
        "name": f"Behavioral health care: {clinician.display_name}",
    }
    return {key: value for key, value in resource.items() if value != []}
