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
class ServiceFacts:
    """What a HealthcareService tells its roles: how care is given, newpatients, where."""

    modalities: set[str]
    accepting: bool | None
    location_ids: list[str]


@dataclass
class Accepted:
    """What the earlier stages accepted, for roles to refer to (rejected ones are absent)."""

    index: ResourceIndex
    places: dict[str, PlaceFacts] = field(default_factory=dict)
    services: dict[str, ServiceFacts] = field(default_factory=dict)
    affiliations: dict[str, list[str]] = field(default_factory=dict)

    def places_of(self, location_ids: list[str]) -> list[PlaceFacts]:
        """The accepted street-address locations among `location_ids`."""
        return [self.places[i] for i in location_ids if i in self.places]


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


def service_facts(service: Indexed, index: ResourceIndex) -> ServiceFacts:
    """A HealthcareService's delivery methods, newpatients flag and locations."""
    located = index.resolve_all(
        service.resource.get("location"), "HealthcareService.location", "Location"
    )
    return ServiceFacts(
        service_modalities(service.resource),
        accepting_new_patients(service.resource),
        [loc.id for loc in located],
    )


def role_facts(role: Indexed, accepted: Accepted) -> RoleFacts:
    """A role's specialties, networks, places, modalities and newpatients flag."""
    resource, index = role.resource, accepted.index
    specialties = nucc_codes(resource.get("specialty") or [], "PractitionerRole.specialty")
    networks = referenced_networks(resource, index)
    owner = index.resolve(
        resource.get("organization"), "PractitionerRole.organization", "Organization"
    )
    if not networks and owner is not None:
        networks = list(accepted.affiliations.get(owner.id, []))
    located = index.resolve_all(resource.get("location"), "PractitionerRole.location", "Location")
    services = index.resolve_all(
        resource.get("healthcareService"), "PractitionerRole.healthcareService", "HealthcareService"
    )
    facts = RoleFacts(
        role.id, specialties, networks, accepted.places_of([loc.id for loc in located])
    )
    facts.modalities = {"in_person"} if facts.places else set()
    for service in (accepted.services[s.id] for s in services if s.id in accepted.services):
        facts.modalities |= service.modalities
        if not located and "in_person" in service.modalities:
            more = accepted.places_of(service.location_ids)
            facts.places.extend(p for p in more if all(p is not h for h in facts.places))
    flags = [accepted.services[s.id].accepting for s in services if s.id in accepted.services]
    facts.accepting = accepting_new_patients(resource)
    if facts.accepting is None:
        facts.accepting = _combined([f for f in flags if f is not None])
    facts.verified_at = last_updated(resource)
    return facts


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
