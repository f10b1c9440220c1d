"""PractitionerRole, HealthcareService and OrganizationAffiliation: where and how a clinician works.

A role's networks come from its network-reference extensions; a role without one inherits the
networks of the OrganizationAffiliations in which its organization participates. A role's places
are its locations, else the locations of its physical HealthcareServices. References to a
resource that was itself rejected are dropped (its own reject row explains); references to
nothing are faults.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ingest.fhir_elements import ResourceFault, codes, extensions, first_code, last_updated
from ingest.fhir_index import Indexed, ResourceIndex
from ingest.plan_net_locations import PlaceFacts, accepting_new_patients
from ingest.plan_net_organizations import is_network
from ingest.plan_net_practitioners import nucc_codes

# VirtualModalitiesCS -> modalities; web and app visits are telehealth sessions, listed as video.
VIRTUAL_MODALITIES = {"video": "video", "web": "video", "app": "video", "phone": "phone"}
VIRTUAL_MODALITIES["tdd"] = "phone"  # a text telephone for Deaf patients rides on a phone line


@dataclass
class RoleFacts:
    """What one PractitionerRole adds to its practitioner."""

    id: str
    specialties: list[str]
    network_ids: list[str]
    places: list[PlaceFacts]
    modalities: set[str] = field(default_factory=set)
    accepting: bool | None = None
    verified_at: datetime | None = None


def role_specialty_codes(role: Indexed) -> list[str]:
    """Every code of PractitionerRole.specialty, unchecked (for the scope pre-check)."""
    return [c for concept in role.resource.get("specialty") or [] for c in codes(concept)]


def is_active(resource: dict) -> bool:
    """False only when the resource says active: false."""
    return resource.get("active") is not False


def role_facts(
    role: Indexed,
    index: ResourceIndex,
    places: dict[str, PlaceFacts],
    affiliations: dict[str, list[str]],
) -> RoleFacts:
    """A role's specialties, networks, places, modalities and newpatients flag."""
    resource = role.resource
    specialties = nucc_codes(resource.get("specialty") or [], "PractitionerRole.specialty")
    networks = referenced_networks(resource, index)
    owner = index.resolve(
        resource.get("organization"), "PractitionerRole.organization", "Organization"
    )
    if not networks and owner is not None:
        networks = list(affiliations.get(owner.id, []))
    located = index.resolve_all(resource.get("location"), "PractitionerRole.location", "Location")
    services = index.resolve_all(
        resource.get("healthcareService"), "PractitionerRole.healthcareService", "HealthcareService"
    )
    facts = RoleFacts(role.id, specialties, networks, _places(located, places))
    facts.modalities = {"in_person"} if facts.places else set()
    facts.accepting = accepting_new_patients(resource)
    service_flags = []
    for service in services:
        facts.modalities |= service_modalities(service.resource)
        service_flags.append(accepting_new_patients(service.resource))
        if not located and "in_person" in service_modalities(service.resource):
            facts.places.extend(_service_places(service, index, places, facts.places))
    if facts.accepting is None:
        facts.accepting = _combined([f for f in service_flags if f is not None])
    facts.verified_at = last_updated(resource)
    return facts


def _places(found: list[Indexed], places: dict[str, PlaceFacts]) -> list[PlaceFacts]:
    """The accepted street-address locations among `found` (others were rejected or are areas)."""
    return [places[loc.id] for loc in found if loc.id in places]


def _service_places(
    service: Indexed, index: ResourceIndex, places: dict[str, PlaceFacts], have: list[PlaceFacts]
) -> list[PlaceFacts]:
    """A physical service's locations not yet among `have`."""
    found = index.resolve_all(
        service.resource.get("location"), "HealthcareService.location", "Location"
    )
    return [p for p in _places(found, places) if all(p is not h for h in have)]


def referenced_networks(resource: dict, index: ResourceIndex) -> list[str]:
    """Network ids of the network-reference extensions (PractitionerRole)."""
    refs = [ext.get("valueReference") for ext in extensions(resource, "network-reference")]
    return network_ids(refs, index, "PractitionerRole.extension:network-reference")


def network_ids(refs: list | None, index: ResourceIndex, field_: str) -> list[str]:
    """Ids of referenced network Organizations; a non-network target is a fault."""
    out: list[str] = []
    for target in index.resolve_all(refs, field_, "Organization"):
        if not is_network(target.resource):
            raise ResourceFault(
                field_, f"{target.key} is not a network (OrgTypeCS ntwk)", target.key
            )
        if not target.rejected and target.id not in out:
            out.append(target.id)
    return out


def service_modalities(service: dict) -> set[str]:
    """in_person / video / phone from a HealthcareService's delivery-method extension."""
    out: set[str] = set()
    for ext in extensions(service, "delivery-method"):
        kind = next(
            (first_code(s.get("valueCodeableConcept")) for s in extensions(ext, "type")), None
        )
        if kind == "physical":
            out.add("in_person")
        elif kind == "virtual":
            named = [
                first_code(s.get("valueCodeableConcept"))
                for s in extensions(ext, "virtualModalities")
            ]
            # Virtual care with no modality named is tele-medicine, which the IG means as video.
            out |= {VIRTUAL_MODALITIES[m] for m in named if m in VIRTUAL_MODALITIES} or (
                set() if named else {"video"}
            )
    return out


def _combined(flags: list[bool]) -> bool | None:
    """True when any says accepting, False when all say not, None when none says."""
    return any(flags) if flags else None


def affiliation_networks(affiliation: Indexed, index: ResourceIndex) -> tuple[str, list[str]]:
    """(participating organization id, network ids) of an OrganizationAffiliation."""
    resource = affiliation.resource
    index.resolve(resource.get("organization"), "OrganizationAffiliation.organization")
    index.resolve_all(resource.get("location"), "OrganizationAffiliation.location", "Location")
    member = index.resolve(
        resource.get("participatingOrganization"),
        "OrganizationAffiliation.participatingOrganization",
        "Organization",
    )
    networks = network_ids(resource.get("network"), index, "OrganizationAffiliation.network")
    return (member.id if member else ""), networks
