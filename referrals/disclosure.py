"""Whether a reader may be shown a referral's patient and clinical content (the Part 2 gate)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from directory.extensions import db
from directory.models import Organization
from referrals.consent import ReceivingParty, part2_problems


@dataclass(frozen=True)
class Disclosure:
    """The gate's answer: allowed, or the problems that block it; Part 2 notice when needed."""

    allowed: bool
    problems: dict[str, str] = field(default_factory=dict)
    part2: bool = False


def receiving_party(referral) -> ReceivingParty:
    """The clinician and the practices they see patients for, as a consent may name them."""
    clinician = referral.clinician
    organizations = {
        link.organization
        for link in clinician.locations
        if link.organization is not None
        and (referral.location_id is None or link.location_id == referral.location_id)
    }
    if referral.location is not None and referral.location.organization is not None:
        organizations.add(referral.location.organization)
    return ReceivingParty(
        npis=frozenset({clinician.npi, *(o.npi for o in organizations if o.npi)}),
        person_names=((clinician.first_name or "", clinician.last_name),),
        organization_names=frozenset(o.name for o in organizations),
    )


def organization_party(organization_id: int | None) -> ReceivingParty:
    """An organization (a health plan) as a consent may name it."""
    org = db.session.get(Organization, organization_id) if organization_id else None
    if org is None:
        return ReceivingParty(npis=frozenset())
    return ReceivingParty(
        npis=frozenset({org.npi} if org.npi else ()), organization_names=frozenset({org.name})
    )


def sending_problems(referral, today: date) -> dict[str, str]:
    """What stops a referral from going to its clinician today; empty when it may go."""
    if not referral.substance_use:
        return {}
    return part2_problems(referral.consent, referral.patient_name, receiving_party(referral), today)


def disclosure_for(actor, relations: frozenset[str], referral, today: date) -> Disclosure:
    """May `actor` see the patient and clinical content of `referral` today?"""
    if not referral.substance_use:
        # HIPAA permits disclosure for treatment and payment without an authorization.
        return Disclosure(allowed=True)
    if {"referrer", "admin"} & relations:
        # The referring program's own record, and the operator running it for them.
        return Disclosure(allowed=True, part2=True)
    if "receiver" in relations:
        problems = sending_problems(referral, today)
    else:
        # Plan staff see SUD content only when the consent names their organization.
        problems = part2_problems(
            referral.consent,
            referral.patient_name,
            organization_party(actor.organization_id),
            today,
        )
    return Disclosure(allowed=not problems, problems=problems, part2=True)
