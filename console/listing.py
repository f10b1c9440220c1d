"""A clinician's own availability, as posted from the listing page, and their attestation."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from console.cost_form import COST_FIELDS, cost_from_form
from directory.cost import MAX_FEE, Cost, cost_of
from directory.cost_facts import cost_lines, set_cost
from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import current, observe, record
from directory.listing_facts import listing_observations
from directory.models import Clinician
from directory.models.facts import FactObservation
from directory.models.verification import utcnow
from pages.cost import cost_sentences

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


def _cost(form: MultiDict, errors: dict) -> Cost | None:
    # A post without the cost fields (an older form) leaves cost as it is, not unknown.
    if not any(name in form for name in COST_FIELDS):
        return None
    try:
        return cost_from_form(form)
    except ValidationError as err:
        for name in err.messages:
            errors[name] = cost_error(name)
        return None


def cost_error(name: str) -> str:
    """The page's words for a cost field that does not validate."""
    if name in ("fee_min", "fee_max"):
        return _("Give whole dollars from 0 to %(top)s, the lowest not above the highest.",
                 top=MAX_FEE)  # fmt: skip
    return _("Choose yes, no or not stated.")


def listing_update(clinician: Clinician, form: MultiDict, actor_id: int | None = None) -> None:
    """Apply the form's availability and cost to the clinician (the caller commits).

    A cost value the clinician changes is recorded as self-reported today; unchanged values
    keep their source and date (attesting confirms them all).
    """
    errors: dict[str, str] = {}
    accepting = {"yes": True, "no": False, "unknown": None}.get(form.get("accepting"), "bad")
    if accepting == "bad":
        errors["accepting"] = _("Choose yes, no or not stated.")
    wait = _whole(form, "wait_days", MAX_WAIT_DAYS, errors)
    capacity = _whole(form, "referral_capacity", MAX_CAPACITY, errors)
    opening = _day(form, "next_available_on", errors)
    cost = _cost(form, errors)
    if errors:
        raise ListingInvalid(errors)
    if cost is not None:
        set_cost(clinician, cost, "self_reported", actor_id=actor_id, changed_only=True)
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


def listing_cost_sentences(clinician: Clinician) -> list[str]:
    """The listing's cost, value by value, with whose word each is and how old."""
    cost = cost_of(clinician)
    now = utcnow()
    return cost_sentences(cost_lines(cost, current(subject(clinician.id), now)), now)


class DeclineAnswerSchema(Schema):
    """The clinician's one-click answer to a "not accepting" decline: still accepting or not."""

    accepting = fields.String(required=True, validate=validate.OneOf(("yes", "no")))


def unanswered_decline(clinician: Clinician) -> FactObservation | None:
    """The clinician's latest "not accepting" decline, while nothing newer says otherwise.

    Only while the listing still says accepting (or is silent): a listing already marked not
    accepting has nothing to update.
    """
    if clinician.accepting_new_patients is False:
        return None
    latest = db.session.scalars(
        select(FactObservation)
        .where(FactObservation.subject_kind == "clinician")
        .where(FactObservation.subject_id == clinician.id)
        .where(FactObservation.kind == "accepting_new_patients")
        .order_by(FactObservation.observed_at.desc(), FactObservation.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.source != "referral_decline" or latest.value is not False:
        return None
    return latest


def answer_decline(
    clinician: Clinician, accepting: bool, decline: FactObservation, actor_id: int | None = None
) -> None:
    """Set the listing's accepting answer, recorded as the clinician's own word today, citing
    the decline it answers (the caller commits)."""
    clinician.accepting_new_patients = accepting
    observe(
        subject(clinician.id),
        "accepting_new_patients",
        accepting,
        "self_reported",
        observed_at=utcnow(),
        source_ref=decline.source_ref,
        actor_id=actor_id,
    )
