"""Whether a reader may be shown a referral's patient and clinical content (the Part 2 gate)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from directory.extensions import db
from directory.models import Organization
from referrals.consent import PersonName, ReceivingParty, part2_problems

# What a reader who may not see the content is told is withheld (the API's field names).
WITHHELD_FIELDS = (
    "patient.name",
    "patient.birth_date",
    "patient.phone",
    "patient.preferred_language",
    "patient.member_id",
    "reason",
    "diagnoses",
    "conditions",
    "medications",
    "needs",
    "notes",
    "part2_basis",
    "consent",
    "events.note",
    "checklist.note",
)
REVOKED = "the consent has been revoked"


@dataclass(frozen=True)
class Disclosure:
    """The gate's answer: allowed, or the problems that block it; Part 2 notice when needed."""

    allowed: bool
    problems: dict[str, str] = field(default_factory=dict)
    part2: bool = False

    @property
    def withheld(self) -> tuple[str, ...]:
        """The fields this reader is not shown (none when disclosure is allowed)."""
        return () if self.allowed else WITHHELD_FIELDS


def program_party(referral) -> ReceivingParty:
    """The organization running the program (and the program itself), as a consent names them."""
    service = referral.site.service
    names = {service.name}
    if service.organization is not None:
        names.add(service.organization.name)
    return ReceivingParty(npis=frozenset(), organization_names=frozenset(names))


def receiving_party(referral) -> ReceivingParty:
    """The clinician and the practices they see patients for, as a consent may name them."""
    if referral.clinician is None:
        return program_party(referral)
    clinician = referral.clinician
    organizations = {
        link.organization
        for link in clinician.locations
        if link.organization is not None
        and (referral.location_id is None or link.location_id == referral.location_id)
    }
    if referral.location is not None and referral.location.organization is not None:
        organizations.add(referral.location.organization)
    person = PersonName(
        clinician.first_name, clinician.last_name, clinician.middle_name, clinician.name_suffix
    )
    return ReceivingParty(
        npis=frozenset({clinician.npi, *(o.npi for o in organizations if o.npi)}),
        person_names=(person,),
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


def consent_problems(referral, party: ReceivingParty, today: date) -> dict[str, str]:
    """What stops disclosing `referral` to `party` today; empty when it may go."""
    if referral.part2:
        return part2_problems(referral.consent, referral.patient_name, party, today)
    # HIPAA permits a treatment referral without an authorization, but once the patient has
    # revoked the one on file nothing more goes out under it, whatever the classification.
    if referral.consent is not None and referral.consent.revoked_at is not None:
        return {"revoked": REVOKED}
    return {}


def sending_problems(referral, today: date) -> dict[str, str]:
    """What stops a referral from going to its clinician today; empty when it may go."""
    return consent_problems(referral, receiving_party(referral), today)


def disclosure_for(actor, relations: frozenset[str], referral, today: date) -> Disclosure:
    """May `actor` see the patient and clinical content of `referral` today?"""
    part2 = bool(referral.part2)
    if {"referrer", "admin"} & relations:
        # The referring program's own record, and the operator running it for them.
        return Disclosure(allowed=True, part2=part2)
    if "receiver" in relations:
        party = receiving_party(referral)
    else:
        # Plan staff see Part 2 content only when the consent names their organization.
        party = organization_party(actor.organization_id)
    problems = consent_problems(referral, party, today)
    return Disclosure(allowed=not problems, problems=problems, part2=part2)
