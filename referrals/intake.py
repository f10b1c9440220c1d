"""Open a referral from a match, and re-refer a patient to the next match in one step."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician, Network
from episodes.identity import Patient, episode_for
from programs.models import ProgramSite
from referrals.checklist import start_checklist, tick
from referrals.consent import names_recipient, standing_problems
from referrals.content import reclassify
from referrals.disclosure import receiving_party, sending_problems
from referrals.errors import Conflict, Invalid
from referrals.lifecycle import OPEN, EventInput, can_rerefer
from referrals.models import Consent, RaceEthnicity, Referral
from referrals.transitions import ConsentBlocked, fire

# Emergent needs go to crisis care now, never into a referral queue.
CRISIS_GUIDANCE = {
    "message": (
        "An emergent behavioral-health need is not handled by referral. Call or text 988 "
        "(Suicide & Crisis Lifeline) or chat at 988lifeline.org; if there is immediate danger, "
        "call 911 or go to the nearest emergency department."
    ),
    "resources": [
        {"name": "988 Suicide & Crisis Lifeline", "phone": "988", "text": "988"},
        {"name": "Emergency services", "phone": "911"},
    ],
}
CONSENT_FIELDS = (
    "form_type",
    "disclosing_party",
    "information",
    "recipients",
    "purpose",
    "signed_by",
    "signed_on",
    "expires_on",
    "expiry_event",
    "revocation_statement",
    # How it was signed; an e-signature's record travels with a consent carried to a re-referral.
    "method",
    "signed_at",
    "signed_ip",
    "signed_user_agent",
    "form_version",
    "text_hash",
)


class ReferralInvalid(Invalid):
    """A referral that names something that does not exist or does not fit."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid referral", errors, code="referral_fields")


class RereferConflict(Conflict):
    """A referral that cannot be re-referred (its status, or already re-referred)."""

    def __init__(self, message: str):
        super().__init__(message, code="rerefer")


def _clinician(npi: str, location_id: int | None) -> tuple[Clinician, object]:
    clinician = db.session.scalar(select(Clinician).where(Clinician.npi == npi))
    if clinician is None or not clinician.active:
        raise ReferralInvalid({"clinician_npi": ["no active clinician has that NPI"]})
    if location_id is None:
        return clinician, None
    for link in clinician.locations:
        if link.location_id == location_id:
            return clinician, link.location
    raise ReferralInvalid({"location_id": ["the clinician does not practise at that location"]})


def _site(site_id: int) -> ProgramSite:
    """An active program's service at a location (HSDS service_at_location)."""
    site = db.session.get(ProgramSite, site_id)
    if site is None or site.service.status != "active":
        raise ReferralInvalid({"service_at_location_id": ["no active program has that site"]})
    return site


def _target(data: dict) -> dict:
    """The Referral columns naming what the referral goes to, by its kind."""
    if data.get("kind") == "program":
        return {"kind": "program", "site": _site(data["service_at_location_id"])}
    clinician, location = _clinician(data["clinician_npi"], data.get("location_id"))
    return {"kind": "bh_clinician", "clinician": clinician, "location": location}


def _plan_id(plan: str | None) -> str | None:
    if plan and db.session.get(Network, plan) is None:
        raise ReferralInvalid({"plan": ["unknown plan"]})
    return plan


def _patient_columns(patient: dict) -> dict:
    return {
        "patient_name": patient["name"],
        "patient_birth_date": patient["birth_date"],
        "patient_phone": patient.get("phone"),
        "patient_preferred_language": patient.get("preferred_language"),
        "patient_member_id": patient.get("member_id"),
        "patient_postal_code": patient.get("postal_code"),
        "race_ethnicity": [RaceEthnicity(category=c) for c in patient.get("race_ethnicity", [])],
    }


def _episode(actor, referral: Referral, now: datetime):
    """The patient's episode of care at the referring organization, found or opened."""
    patient = Patient(
        organization_id=referral.referring_organization_id,
        name=referral.patient_name,
        birth_date=referral.patient_birth_date,
        member_id=referral.patient_member_id,
        plan_id=referral.plan_id,
    )
    return episode_for(patient, actor.label, now)


def create_referral(actor, data: dict, now: datetime, account: dict | None = None) -> Referral:
    """A draft referral from validated input, classified for Part 2 (a draft discloses nothing).

    `account` is the signed-in referrer's own contact (accounts.profile.referrer_contact): it
    fills each referrer field the input leaves out.
    """
    given = {k: v for k, v in (data.get("referrer") or {}).items() if v}
    contact = {**(account or {}), **given}
    referral = Referral(
        status="draft",
        urgency=data["urgency"],
        substance_use=data["substance_use"],
        **_target(data),
        patient_updates=bool(data.get("patient_updates")),
        patient_notices=data.get("patient_notices") or "none",
        patient_email=data.get("patient_email"),
        plan_id=_plan_id(data.get("plan")),
        referring_organization_id=actor.organization_id,
        created_by=actor.label,
        referrer_name=contact.get("name"),
        referrer_phone=contact.get("phone"),
        referrer_email=contact.get("email"),
        reason=data["reason"],
        diagnoses=data.get("diagnoses", []),
        conditions=data.get("conditions", []),
        medications=data.get("medications", []),
        needs=data.get("needs") or {},
        notes=data.get("notes"),
        created_at=now,
        updated_at=now,
        **_patient_columns(data["patient"]),
    )
    referral.episode = _episode(actor, referral, now)
    if data.get("consent"):
        referral.consent = Consent(**{k: data["consent"].get(k) for k in CONSENT_FIELDS})
    reclassify(referral)
    start_checklist(referral)
    if referral.consent is not None:
        tick(referral, "consent_on_file", actor, now)
    db.session.add(referral)
    db.session.flush()
    return referral


def _carried_consent(old: Referral, new: Referral, today) -> Consent | None:
    """A copy of the old consent when it still stands and names the new clinician."""
    consent = old.consent
    if consent is None or standing_problems(consent, today):
        return None
    if not names_recipient(consent.recipients, receiving_party(new)):
        return None
    return Consent(**{k: getattr(consent, k) for k in CONSENT_FIELDS})


def _replaced(referral: Referral) -> bool:
    return (
        db.session.scalar(select(Referral.id).where(Referral.replaces_id == referral.id))
        is not None
    )


def _replacement(actor, old: Referral, data: dict, now: datetime, today) -> Referral:
    """The new draft for the same patient and request, to the chosen clinician, classified."""
    clinician, location = _clinician(data["clinician_npi"], data.get("location_id"))
    if clinician.id == old.clinician_id:
        raise ReferralInvalid({"clinician_npi": ["re-refer to a different clinician"]})
    copied = {
        c.key: getattr(old, c.key)
        for c in Referral.__table__.columns
        if c.key.startswith("patient_")
    }
    new = Referral(
        status="draft",
        clinician=clinician,
        location=location,
        replaces_id=old.id,
        created_by=actor.label,
        created_at=now,
        updated_at=now,
        **copied,
        **{k: getattr(old, k) for k in _CARRIED},
        race_ethnicity=[RaceEthnicity(category=r.category) for r in old.race_ethnicity],
    )
    if data.get("consent"):
        new.consent = Consent(**{k: data["consent"].get(k) for k in CONSENT_FIELDS})
    else:
        new.consent = _carried_consent(old, new, today)
    reclassify(new)
    return new


def rerefer(actor, old: Referral, data: dict, now: datetime, today=None) -> Referral:
    """Cancel `old` if still open and send a new referral for the same patient to another match."""
    today = today or now.date()
    if old.kind == "program":
        raise RereferConflict("a program referral is followed by a new referral, not re-referred")
    if not can_rerefer(old.status):
        raise RereferConflict(f"a referral that is {old.status} cannot be re-referred")
    if _replaced(old):
        raise RereferConflict("this referral has already been re-referred")
    new = _replacement(actor, old, data, now, today)
    # Checked before anything changes, so a refused re-referral leaves the old one as it was.
    problems = sending_problems(new, today)
    if problems:
        raise ConsentBlocked(problems, part2=new.part2)
    if old.status in OPEN:
        fire(old, actor, EventInput(type="cancel", note=data.get("note") or "re-referred"), now)
    start_checklist(new)
    if new.consent is not None:
        tick(new, "consent_on_file", actor, now)
    db.session.add(new)
    db.session.flush()
    fire(new, actor, EventInput(type="send", note=data.get("note")), now, today)
    return new


# What a re-referral carries over besides the patient: the request itself and its context.
_CARRIED = (
    "episode_id",
    "urgency",
    "substance_use",
    "part2",
    "part2_basis",
    "plan_id",
    "referring_organization_id",
    "referrer_name",
    "referrer_phone",
    "referrer_email",
    "reason",
    "diagnoses",
    "conditions",
    "medications",
    "needs",
    "notes",
)
