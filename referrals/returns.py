"""The structured return (rules over stored rows): build it, classify it, gate each reader.

A return is the behavioral-health clinician's record disclosed to the referring side. Its
42 CFR Part 2 status comes from its own content through referrals.part2's rule; a Part 2
return goes only to a reader the referral's consent names as a recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from referrals.consent import part2_problems
from referrals.disclosure import REVOKED, organization_party
from referrals.errors import Malformed
from referrals.part2 import Content, classify
from referrals.return_models import ReferralReturn, ReturnScore
from referrals.return_schemas import ReturnInput, ScoreInput
from screening.definitions import instruments
from screening.scorer import AnswerError, Scored, score, score_total

# A return is sent once the clinician has acknowledged the referral, and at any time after.
NOT_YET = "a return is sent once the referral has been acknowledged"
WITHHELD_PART2 = (
    "this return carries substance use disorder information and the consent does not name you "
    "as a recipient (42 CFR 2.31)"
)


@dataclass(frozen=True)
class Reader:
    """Who reads returns: how they stand to the referral, and what withholds it from them."""

    relations: frozenset[str]
    organization_id: int | None
    referral_problems: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReturnView:
    """A return as one reader may see it: its content only when `allowed`."""

    row: ReferralReturn
    allowed: bool
    problems: dict[str, str] = field(default_factory=dict)


def accepts_returns(referral) -> bool:
    """True once the referral has been acknowledged: from then on, at any time."""
    return referral.acknowledged_at is not None


def scored(entry: ScoreInput) -> Scored:
    """A repeat score through the screening engine; AnswerError naming the item otherwise."""
    instrument = instruments()[entry.instrument]
    if entry.answers is not None:
        return score(instrument, entry.answers, entry.sex)
    return score_total(instrument, entry.score, entry.sex)


def _score_rows(entries: tuple[ScoreInput, ...]) -> list[ReturnScore]:
    rows, errors = [], {}
    for index, entry in enumerate(entries):
        try:
            result = scored(entry)
        except AnswerError as err:
            errors[index] = err.errors
            continue
        rows.append(
            ReturnScore(
                instrument=entry.instrument,
                answers=list(entry.answers) if entry.answers is not None else None,
                score=result.score,
                severity=result.severity,
                positive=result.positive,
                crisis=result.crisis,
                sex=entry.sex,
            )
        )
    if errors:
        raise Malformed("invalid request", {"scores": errors}, code="screening")
    return rows


def content_of(data: ReturnInput) -> Content:
    """What of a return the Part 2 rule reads (scores are screening, not treatment records)."""
    return Content(
        diagnoses=data.diagnoses,
        medications=tuple(m.name for m in data.medications),
        reason=data.treatment,
        notes=data.note,
    )


def build(referral, data: ReturnInput, actor, now: datetime) -> ReferralReturn:
    """A new return row for `referral` from parsed input, scored and classified."""
    finding = classify(content_of(data))
    return ReferralReturn(
        referral=referral,
        referral_status=referral.status,
        diagnoses=list(data.diagnoses),
        medications=[
            {"change": m.change, "name": m.name, "rxnorm": m.rxnorm} for m in data.medications
        ],
        treatment=data.treatment,
        next_appointment_at=data.next_appointment_at,
        note=data.note,
        part2=finding.part2,
        part2_basis=list(finding.basis),
        created_by=actor.label,
        created_by_role=actor.role,
        created_at=now,
        scores=_score_rows(data.scores),
    )


def reader_problems(row: ReferralReturn, reader: Reader, today: date) -> dict[str, str]:
    """What stops this reader seeing the return's content today; empty when it may go."""
    relations = reader.relations
    if {"receiver", "admin"} & relations:
        # The clinician's own record, and the operator running the service for them.
        return {}
    if reader.referral_problems:
        # Whoever may not see the referral's patient content sees none of what came back.
        return dict(reader.referral_problems)
    referral = row.referral
    reader_org = reader.organization_id
    org = referral.referring_organization_id if "referrer" in relations else reader_org
    if row.part2:
        problems = part2_problems(
            referral.consent, referral.patient_name, organization_party(org), today
        )
        if "recipients" in problems:
            problems["recipients"] = WITHHELD_PART2
        return problems
    if referral.consent is not None and referral.consent.revoked_at is not None:
        return {"revoked": REVOKED}
    return {}


def view(row: ReferralReturn, reader: Reader, today: date) -> ReturnView:
    """The return for one reader."""
    problems = reader_problems(row, reader, today)
    return ReturnView(row, not problems, problems)


def is_uncoded(medication: dict) -> bool:
    """A medication kept as text only (no RxNorm code was sent)."""
    return not medication.get("rxnorm")
