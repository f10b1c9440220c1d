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
from screening.schemas import ScreeningInput, ScreeningInputSchema
from screening.scorer import AnswerError, Scored, score


@dataclass(frozen=True)
class Recorded:
    """A stored screening result and what its answers mean."""

    result: ScreeningResult
    scored: Scored


def _refuse(actor, err: ReferralError) -> ReferralError:
    """Roll back and audit a refused screening (no result exists: no id, no answers)."""
    db.session.rollback()
    record(actor, "create", "screening", None, outcome=err.outcome)
    db.session.commit()
    return err


def _parse(actor, body) -> tuple[ScreeningInput, Scored]:
    if not can_create(actor):
        raise _refuse(actor, Denied("this role may not record screenings", code="create_role"))
    if not isinstance(body, dict):
        raise _refuse(actor, Malformed("send a JSON object"))
    try:
        data = ScreeningInputSchema().load(body)
        return data, score(instruments()[data.instrument], data.answers, data.sex)
    except ValidationError as err:
        raise _refuse(actor, Malformed("invalid request", err.messages)) from None
    except AnswerError as err:
        raise _refuse(actor, Malformed(err.message, err.errors, code="answers")) from None


def _attach_to(actor, referral_id: int):
    """The referral the result attaches to: its referring side only (404 / 403, audited)."""
    referral, _found = load_visible(actor, referral_id, "update")
    if not can_manage(actor, referral):
        audit_refusal(actor, "update", referral_id, "denied")
        raise Denied("only the referring side may attach a screening", code="manage")
    return referral


def record_screening(actor, body, now: datetime) -> Recorded:
    """Score the answers, keep the result (attached to a referral when named); commits."""
    data, scored = _parse(actor, body)
    # Attaching adds supporting information only: the referral's content, and so its Part 2
    # classification, is unchanged (an AUDIT-C result is screening, not a SUD treatment record).
    referral = _attach_to(actor, data.referral_id) if data.referral_id is not None else None
    result = ScreeningResult(
        instrument=data.instrument,
        answers=list(data.answers),
        score=scored.score,
        severity=scored.severity,
        positive=scored.positive,
        crisis=scored.crisis,
        needs=list(scored.needs),
        sex=data.sex,
        referral_id=referral.id if referral is not None else None,
        organization_id=actor.organization_id,
        created_by=actor.label,
        created_at=now,
    )
    db.session.add(result)
    db.session.flush()
    record(actor, "create", "screening", result.id)
    if referral is not None:
        record(actor, "update", "referral", referral.id)
    db.session.commit()
    return Recorded(result, scored)
