"""Plan-Net profiles, extensions and code systems: the vocabulary of the FHIR output.

The maps here are the inverses of those the Plan-Net loader reads (directory/plan_net_codes.py),
so a resource loaded from Plan-Net comes back out with the codes it came in with.
"""

from directory.plan_net_codes import (
    ACCESSIBILITY,
    COMMUNITY_MENTAL_HEALTH_CENTER,
    PRODUCT_TYPES,
    PROFICIENCY_BY_LEVEL,
)

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
STRUCTURE = PLAN_NET + "/StructureDefinition/"
CODE_SYSTEM = PLAN_NET + "/CodeSystem/"
PROFILES = {
    kind: STRUCTURE + "plannet-" + kind
    for kind in (
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Network",
        "Location",
        "HealthcareService",
        "InsurancePlan",
    )
}
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NUCC_SYSTEM = "http://nucc.org/provider-taxonomy"
BCP47_SYSTEM = "urn:ietf:bcp:47"
USPS_SYSTEM = "https://www.usps.com/"
DEGREE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0360"

NETWORK_REFERENCE = STRUCTURE + "network-reference"
NEW_PATIENTS = STRUCTURE + "newpatients"
DELIVERY_METHOD = STRUCTURE + "delivery-method"
ACCESSIBILITY_EXT = STRUCTURE + "accessibility"
QUALIFICATION_EXT = STRUCTURE + "qualification"
PRACTITIONER_QUALIFICATION = STRUCTURE + "practitioner-qualification"
COMMUNICATION_PROFICIENCY = STRUCTURE + "communication-proficiency"

# Proficiency name -> LanguageProficiencyCS level (the loader reads level // 10).
PROFICIENCY_CODES = {name: f"{level}0" for level, name in PROFICIENCY_BY_LEVEL.items()}
# Accessibility vocabulary -> AccessibilityCS; the loader maps adacomp to wheelchair first.
ACCESSIBILITY_CODES = {}
for _code, _term in ACCESSIBILITY.items():
    ACCESSIBILITY_CODES.setdefault(_term, _code)
# /api/v1/plans type -> InsuranceProductTypeCS (the first code for types several codes share).
PRODUCT_TYPE_CODES = {}
for _code, _label in PRODUCT_TYPES.items():
    PRODUCT_TYPE_CODES.setdefault(_label, _code)
# Organization.kind -> OrgTypeCS; kinds with no exact OrgTypeCS code keep their name as text.
ORGANIZATION_TYPES = {
    "group_practice": ("prvgrp", "Provider Group"),
    "bh_practice": ("prvgrp", "Provider Group"),
    "primary_care": ("prvgrp", "Provider Group"),
    "health_plan": ("payer", "Payer"),
    "hospital": ("fac", "Facility"),
    "cmhc": ("fac", "Facility"),
}
# The NUCC code a kind implies, so the loader's organization_kind reads the kind back.
ORGANIZATION_TAXONOMIES = {"cmhc": COMMUNITY_MENTAL_HEALTH_CENTER}
# Modalities -> VirtualModalitiesCS (the loader reads web as video).
VIRTUAL_MODALITY_CODES = {"video": "web", "phone": "phone"}  # VirtualModalitiesCS has no "video"


def coding(system: str, code: str, display: str | None = None) -> dict:
    """A Coding, with its display when known."""
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(system: str, code: str, display: str | None = None) -> dict:
    """A CodeableConcept of one coding."""
    return {"coding": [coding(system, code, display)]}


def plan_net_concept(code_system: str, code: str, display: str | None = None) -> dict:
    """A CodeableConcept from a Plan-Net code system, e.g. ("OrgTypeCS", "ntwk")."""
    return concept(CODE_SYSTEM + code_system, code, display)


def meta(profile: str, last_updated: str | None) -> dict:
    """Resource.meta claiming the Plan-Net profile."""
    found = {"profile": [PROFILES[profile]]}
    if last_updated:
        found["lastUpdated"] = last_updated
    return found
