"""Scoring a screening and keeping the result, on its own or attached to a referral; audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from marshmallow import ValidationError

from audit.log import record
from directory.extensions import db
from referrals.access import can_create, can_manage
from referrals.errors import Denied, Malformed, ReferralError
from referrals.use_cases.reads import load_visible
from referrals.use_cases.trail import audit_refusal
from screening.definitions import instruments
from screening.models import ScreeningResult
from screening.results import attached_to
from screening.schemas import ScreeningInput, ScreeningInputSchema
from screening.scorer import AnswerError, Scored, score


@dataclass(frozen=True)
class Recorded:
    """A stored screening result and what its answers mean."""

    result: ScreeningResult
    scored: Scored


def scored_input(body, field: str | None = None) -> tuple[ScreeningInput, Scored]:
    """The parsed and scored screening; Malformed (errors under `field` when given) otherwise."""
    try:
        if not isinstance(body, dict):
            raise ValidationError("send a JSON object")
        data = ScreeningInputSchema().load(body)
        return data, score(instruments()[data.instrument], data.answers, data.sex)
    except ValidationError as err:
        errors = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        message = "invalid request"
    except AnswerError as err:
        errors, message = err.errors, err.message
    raise Malformed(message, {field: errors} if field else errors, code="screening")


def prefilled_needs(needs: dict, scored: Scored) -> dict:
    """The referral's matching needs with the concern a positive screening suggests added."""
    concern = scored.instrument.concern
    concerns = list(needs.get("concerns") or [])
    if scored.positive and concern is not None and concern not in concerns:
        return {**needs, "concerns": [*concerns, concern]}
    return needs


def attach(actor, data: ScreeningInput, scored: Scored, now: datetime, referral=None) -> Recorded:
    """Store the result (in the caller's transaction) and audit it; the caller commits."""
    result = ScreeningResult(
        instrument=data.instrument,
        answers=list(data.answers),
        score=scored.score,
        severity=scored.severity,
        positive=scored.positive,
        crisis=scored.crisis,
        needs=list(scored.needs),
        sex=data.sex,
        referral=referral,
        # A screening on a referral joins the patient's episode of care with it.
        episode_id=referral.episode_id if referral is not None else None,
        organization_id=actor.organization_id,
        created_by=actor.label,
        created_at=now,
    )
    db.session.add(result)
    db.session.flush()
    record(actor, "create", "screening", result.id)
    if referral is not None:
        record(actor, "update", "referral", referral.id)
    return Recorded(result, scored)


def _refuse(actor, err: ReferralError) -> ReferralError:
    """Roll back and audit a refused screening (no result exists: no id, no answers)."""
    db.session.rollback()
    record(actor, "create", "screening", None, outcome=err.outcome)
    db.session.commit()
    return err


def _attach_to(actor, referral_id: int):
    """The referral the result attaches to: its referring side only (404 / 403, audited)."""
    referral, _found = load_visible(actor, referral_id, "update")
    if not can_manage(actor, referral):
        audit_refusal(actor, "update", referral_id, "denied")
        raise Denied("only the referring side may attach a screening", code="manage")
    return referral


def record_screening(actor, body, now: datetime) -> Recorded:
    """Score the answers, keep the result (attached to a referral when named); commits."""
    if not can_create(actor):
        raise _refuse(actor, Denied("this role may not record screenings", code="create_role"))
    try:
        data, scored = scored_input(body)
    except Malformed as err:
        raise _refuse(actor, err) from None
    # Attaching adds supporting information only: the referral's content, and so its Part 2
    # classification, is unchanged (an AUDIT-C result is screening, not a SUD treatment record).
    referral = _attach_to(actor, data.referral_id) if data.referral_id is not None else None
    recorded = attach(actor, data, scored, now, referral)
    db.session.commit()
    return recorded


def attached_screenings(actor, shown) -> list[tuple[ScreeningResult, Scored]]:
    """The screenings on a shown referral, for a reader nothing is withheld from; audited."""
    disclosure = shown.disclosure
    # Screenings are clinical content: shown as the FHIR export shows them (fhir_export).
    if not disclosure.allowed or disclosure.withheld:
        return []
    found = attached_to(shown.referral.id)
    action = "read" if {"referrer", "admin"} & shown.relations else "disclose"
    for result, _scored in found:
        record(actor, action, "screening", result.id)
    db.session.commit()
    return found
