"""A clinician's own availability, as posted from the listing page, and their attestation."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory.facts import record
from directory.listing_facts import listing_observations
from directory.models import Clinician
from directory.models.verification import utcnow

ATTESTATION = "attestation"
MAX_WAIT_DAYS = 365
MAX_CAPACITY = 500


class ListingInvalid(ValueError):
    """Fields that cannot be saved, by name."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("invalid listing")
        self.errors = errors


def _whole(form: MultiDict, name: str, top: int, errors: dict) -> int | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > top:
        errors[name] = _("Give a whole number from 0 to %(top)s.", top=top)
        return None
    return int(text)


def _day(form: MultiDict, name: str, errors: dict) -> date | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Give a date.")
        return None


def listing_update(clinician: Clinician, form: MultiDict) -> None:
    """Apply the form's availability to the clinician (the caller commits)."""
    errors: dict[str, str] = {}
    accepting = {"yes": True, "no": False, "unknown": None}.get(form.get("accepting"), "bad")
    if accepting == "bad":
        errors["accepting"] = _("Choose yes, no or not stated.")
    wait = _whole(form, "wait_days", MAX_WAIT_DAYS, errors)
    capacity = _whole(form, "referral_capacity", MAX_CAPACITY, errors)
    opening = _day(form, "next_available_on", errors)
    if errors:
        raise ListingInvalid(errors)
    clinician.accepting_new_patients = accepting
    clinician.wait_days = wait
    clinician.referral_capacity = capacity
    clinician.next_available_on = opening


def attest(clinician: Clinician, actor_id: int | None = None) -> None:
    """The clinician confirms the listing: it, its places and networks are verified now."""
    now = utcnow()
    clinician.verify(ATTESTATION, now)
    # What was confirmed, fact by fact, so a page never says "verified" without saying what.
    record(listing_observations(clinician, "clinician_attestation", now, actor_id=actor_id))
    for link in [*clinician.locations, *clinician.participations]:
        link.verify(ATTESTATION, now)
    # Attestation is the re-verification a flag asks for.
    clinician.flagged_reason = None
    clinician.flagged_at = None
