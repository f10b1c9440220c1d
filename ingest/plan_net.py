"""Load FHIR R4 Da Vinci PDex Plan-Net (IG 1.2.0) resources into the directory.

Input: a Bundle JSON file, an NDJSON file (one resource per line), or a folder (walked in name
order) of .ndjson files and one-resource or Bundle .json files. The first pass indexes every
resource by type and id (NDJSON is streamed line by line, and only where each line starts is
kept: the second pass reads the line again); the second maps and saves them in dependency
order: networks (Organization of type ntwk), plans (InsurancePlan), the other Organizations,
Locations with a street address, then HealthcareServices and OrganizationAffiliations are
checked, then clinicians. References resolve within the input only; one that names nothing
rejects the resource holding it; a reference to a rejected resource is dropped (that resource's
own reject row explains).

A Practitioner becomes a clinician only when it is active and one of its NUCC codes
(qualification.code or a PractitionerRole.specialty) is a behavioral-health individual taxonomy;
it then needs a Luhn-valid NPI. A NUCC code the NUCC table does not define rejects the
Practitioner (or the role) whatever its scope. Several in-scope Practitioners with one NPI: the
first in input order loads, the later ones are rejected as duplicates (out-of-scope ones never
collide).

Each batch is one transaction and every save is an idempotent upsert: a load that stops midway
leaves whole batches (never a half-written row), and loading the same input again converges to
what one clean load gives. A resource the database refuses is rejected on its own (see
ingest.store.Batcher); strings it could not store are refused on reading (ingest.storable).

Summary counts:
- read: resources read (NDJSON lines, Bundle entries, JSON files), rejected ones included;
- inserted / updated / unchanged: directory rows, for clinicians (Practitioner), networks,
  plans, organizations and locations alike: each such resource lands in exactly one of these,
  out_of_scope or rejected. PractitionerRole, HealthcareService, OrganizationAffiliation and
  Endpoint resources are folded into those rows and only counted in read (or in rejected);
- out_of_scope: Practitioners outside BH scope or inactive, Locations without a street address;
- rejected: resources written to the reject report, each once, for its first fault.
"""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from directory.taxonomy import is_behavioral_health
from ingest.fhir_elements import ResourceFault
from ingest.fhir_files import FhirSource
from ingest.fhir_index import Indexed, ResourceIndex
from ingest.plan_net_clinicians import clinician_record
from ingest.plan_net_locations import PlaceFacts, is_place, place_facts
from ingest.plan_net_organizations import (
    is_network,
    network_facts,
    organization_facts,
    plan_facts,
)
from ingest.plan_net_practitioners import practitioner_facts, qualification_taxonomies
from ingest.plan_net_roles import (
    Accepted,
    RoleFacts,
    ServiceFacts,
    affiliation_networks,
    is_active,
    role_facts,
    role_specialty_codes,
    service_facts,
)
from ingest.plan_net_saving import save_networks, save_organizations, save_places
from ingest.progress import Progress
from ingest.records import ClinicianRecord
from ingest.report import LoadSummary, RejectReport
from ingest.saving import save_clinicians
from ingest.store import Batcher


def load_plan_net(path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
    """Load a Plan-Net Bundle, NDJSON file or folder; rejects go to `report`."""
    summary = LoadSummary()
    index = read_index(Path(path), report, summary)
    try:
        PlanNetLoad(index, report, summary, batch_size).run()
    finally:
        index.close()
    return summary


def read_index(path: Path, report: RejectReport, summary: LoadSummary) -> ResourceIndex:
    """The first pass: read every resource once and index it; unreadable ones are rejected."""
    source = FhirSource(path)
    index = ResourceIndex()
    with Progress(source.total_bytes, "Reading Plan-Net") as progress:
        for entry in source:
            summary.read += 1
            try:
                index.add(entry)
            except ResourceFault as fault:
                report.reject(entry.file, entry.line, fault.field, fault.reason, fault.value)
                summary.rejected += 1
            progress.advance_to(source.bytes_read)
    return index


def _every(item: Indexed) -> bool:
    """No filter."""
    return True


class PlanNetLoad:
    """The second pass over an index: map each resource type and save it, in dependency order."""

    def __init__(self, index: ResourceIndex, report: RejectReport, summary: LoadSummary, size: int):
        self.index = index
        self.report = report
        self.summary = summary
        self.batch_size = size
        self.accepted = Accepted(index)

    def run(self) -> None:
        """Networks, plans, organizations, locations; services and affiliations; clinicians."""
        self._save(self._mapped("Organization", self._network, _network_org), save_networks)
        self._save(self._mapped("InsurancePlan", self._plan), save_networks)
        self._save(self._mapped("Organization", organization_facts, _other_org), save_organizations)
        self._save(self._mapped("Location", self._place, self._in_scope_place), save_places)
        for _, (sid, facts) in self._mapped("HealthcareService", self._service, _active):
            self.accepted.services[sid] = facts
        affiliations = self._mapped("OrganizationAffiliation", self._affiliation, _active)
        for _, (member, networks) in affiliations:
            known = self.accepted.affiliations.setdefault(member, [])
            known.extend(n for n in networks if n not in known)
        self._save(self._clinicians(), save_clinicians)

    def reject(self, item: Indexed, fault: ResourceFault) -> None:
        """Write one reject row for a resource and remember it was refused."""
        item.rejected = True
        self.report.reject(item.file, item.line, fault.field, fault.reason, fault.value)
        self.summary.rejected += 1

    def _save(self, facts: Iterable, save: Callable[[list, LoadSummary], None]) -> None:
        """Save (resource, facts) pairs in batches, one transaction each."""
        batcher = Batcher(
            lambda items: save(items, self.summary),
            self.batch_size,
            refused=self._refused,
            summary=self.summary,
        )
        for item, fact in facts:
            batcher.add(fact, item)
        batcher.flush()

    def _refused(self, item: Indexed, reason: str) -> None:
        """A resource the database refused when its batch was saved again one by one."""
        self.reject(item, ResourceFault("(resource)", reason, item.id))
        if item.type == "Location":  # roles then drop it, as they drop any rejected one
            self.accepted.places.pop(item.id, None)

    def _mapped(self, kind: str, mapper: Callable, wanted: Callable = _every) -> Iterator:
        """(resource, mapped facts) for the resources of `kind` that `wanted` accepts."""
        for item in self.index.of_type(kind):
            if not wanted(item):
                continue
            try:
                yield item, mapper(item)
            except ResourceFault as fault:
                self.reject(item, fault)

    def _network(self, org: Indexed):
        """An Organization of type ntwk as a Network."""
        return network_facts(org, self.index)

    def _plan(self, plan: Indexed):
        """An InsurancePlan as a plan; its id shares the Network id space with networks."""
        twin = self.index.get("Organization", plan.id)
        if twin is not None and is_network(twin.resource):
            raise ResourceFault("InsurancePlan.id", f"id {plan.id} is also a network's id", plan.id)
        return plan_facts(plan, self.index)

    def _in_scope_place(self, location: Indexed) -> bool:
        """Street-address locations load; the others (coverage areas) are out of scope."""
        if is_place(location.resource):
            return True
        self.summary.out_of_scope += 1
        return False

    def _place(self, location: Indexed) -> PlaceFacts:
        """A Location, remembered for the roles that refer to it."""
        facts = place_facts(location, self.index)
        self.accepted.places[location.id] = facts
        return facts

    def _service(self, service: Indexed) -> tuple[str, ServiceFacts]:
        """A HealthcareService by id."""
        return service.id, service_facts(service, self.index)

    def _affiliation(self, affiliation: Indexed) -> tuple[str, list[str]]:
        """An OrganizationAffiliation's participating organization and networks."""
        return affiliation_networks(affiliation, self.index)

    def _clinicians(self) -> Iterator[tuple[Indexed, ClinicianRecord]]:
        """(Practitioner, record) per in-scope Practitioner; the others are out of scope."""
        roles = self._roles_by_practitioner()
        loaded: dict[str, Indexed] = {}
        for practitioner in self.index.of_type("Practitioner"):
            try:
                record = self._clinician(practitioner, roles.get(practitioner.id, []), loaded)
            except ResourceFault as fault:
                self.reject(practitioner, fault)
                continue
            if record is None:
                self.summary.out_of_scope += 1
            else:
                yield practitioner, record

    def _clinician(
        self, practitioner: Indexed, roles: list[Indexed], loaded: dict[str, Indexed]
    ) -> ClinicianRecord | None:
        """The record for an in-scope practitioner; None when out of scope."""
        if not is_active(practitioner.resource):
            return None
        qualified = qualification_taxonomies(practitioner)
        if not is_behavioral_health(
            qualified + [c for r in roles for c in role_specialty_codes(r)]
        ):
            return None
        facts = practitioner_facts(practitioner)
        first = loaded.get(facts.npi)
        if first is not None:
            reason = f"duplicate NPI {facts.npi}: {first.key} ({first.place}) already has it"
            raise ResourceFault("Practitioner.identifier", reason, facts.npi)
        accepted = self._role_facts(roles)
        if not is_behavioral_health(qualified + [c for r in accepted for c in r.specialties]):
            return None
        loaded[facts.npi] = practitioner
        return clinician_record(practitioner, facts, qualified, accepted)

    def _roles_by_practitioner(self) -> dict[str, list[Indexed]]:
        """Active roles by practitioner id; a role naming a missing practitioner is rejected."""
        found: dict[str, list[Indexed]] = {}
        for role in self.index.of_type("PractitionerRole"):
            if not is_active(role.resource):
                continue
            try:
                target = self.index.resolve(
                    role.resource.get("practitioner"),
                    "PractitionerRole.practitioner",
                    "Practitioner",
                )
            except ResourceFault as fault:
                self.reject(role, fault)
                continue
            if target is not None:
                found.setdefault(target.id, []).append(role)
        return found

    def _role_facts(self, roles: list[Indexed]) -> list[RoleFacts]:
        """The facts of each role; a faulty role is rejected and the others still count."""
        out = []
        for role in roles:
            try:
                out.append(role_facts(role, self.accepted))
            except ResourceFault as fault:
                self.reject(role, fault)
        return out


def _network_org(item: Indexed) -> bool:
    """An Organization of type ntwk: a Network row."""
    return is_network(item.resource)


def _other_org(item: Indexed) -> bool:
    """Any other Organization: an Organization row."""
    return not is_network(item.resource)


def _active(item: Indexed) -> bool:
    """Not marked active: false."""
    return is_active(item.resource)
