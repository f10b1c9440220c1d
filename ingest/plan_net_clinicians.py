"""A Practitioner and its roles as one ClinicianRecord, when the practitioner is in BH scope."""

from dataclasses import replace

from directory.taxonomy import behavioral_health_codes
from directory.vocabulary import vocabulary
from ingest.fhir_index import Indexed
from ingest.plan_net_practitioners import PractitionerFacts
from ingest.plan_net_roles import RoleFacts
from ingest.records import ClinicianRecord, LocationRecord

SOURCE = "plan-net"


def primary_first(qualified: list[str], specialties: list[str]) -> list[tuple[str, bool]]:
    """(code, is_primary) pairs; Plan-Net has no primary flag, so the first BH code is primary."""
    ordered = list(dict.fromkeys([*qualified, *specialties]))
    scope = behavioral_health_codes("individual")
    primary = next((c for c in ordered if c in scope), ordered[0] if ordered else None)
    return [(code, code == primary) for code in ordered]


def clinician_record(
    practitioner: Indexed, facts: PractitionerFacts, qualified: list[str], roles: list[RoleFacts]
) -> ClinicianRecord:
    """The record save_clinicians upserts; empty optional lists are None so other sources' stay."""
    specialties = [code for role in roles for code in role.specialties]
    locations, networks = _links(roles)
    stamps = [s for s in [facts.verified_at, *(r.verified_at for r in roles)] if s is not None]
    return ClinicianRecord(
        npi=facts.npi,
        last_name=facts.last_name,
        source=SOURCE,
        source_ref=practitioner.key,
        first_name=facts.first_name,
        middle_name=facts.middle_name,
        name_prefix=facts.name_prefix,
        name_suffix=facts.name_suffix,
        gender=facts.gender,
        credentials=facts.credentials or None,
        taxonomies=primary_first(qualified, specialties),
        licenses=facts.licenses or None,
        languages=facts.languages or None,
        modalities=_modalities(roles),
        accepting_new_patients=_accepting(roles),
        # Plan-Net is the whole truth about its own links, so no roles means no links.
        locations=locations,
        networks=networks,
        verified_at=max(stamps) if stamps else None,
    )


def _links(roles: list[RoleFacts]) -> tuple[list[LocationRecord], list[tuple[str, int | None]]]:
    """Locations (one per place, from its first role) and (network, location index) pairs."""
    locations: list[LocationRecord] = []
    position: dict[str, int] = {}
    networks: list[tuple[str, int | None]] = []
    for role in roles:
        indexes = []
        for place in role.places:
            key = place.record.external_id or ""
            if key not in position:
                position[key] = len(locations)
                accepting = role.accepting if role.accepting is not None else place.accepting
                locations.append(
                    replace(
                        place.record, accepting_new_patients=accepting, link_external_id=role.id
                    )
                )
            indexes.append(position[key])
        for network_id in role.network_ids:
            for pair in [(network_id, i) for i in indexes] or [(network_id, None)]:
                if pair not in networks:
                    networks.append(pair)
    return locations, networks


def _modalities(roles: list[RoleFacts]) -> list[str] | None:
    """The roles' modalities in vocabulary order; None when no role says how care is given."""
    found = set().union(*(role.modalities for role in roles)) if roles else set()
    ordered = [code for code in vocabulary("modalities") if code in found]
    return ordered or None


def _accepting(roles: list[RoleFacts]) -> bool | None:
    """Accepting when any role accepts new patients; not when all that say, say no."""
    flags = [role.accepting for role in roles if role.accepting is not None]
    return any(flags) if flags else None
