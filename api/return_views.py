"""The clinician's structured returns as the API shows them: content only where disclosed."""

from __future__ import annotations

from directory.models.verification import as_utc
from referrals.consent import PART2_NOTICE
from referrals.returns import ReturnView, is_uncoded


def _time(moment) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def _medication(medication: dict) -> dict:
    return {
        "change": medication["change"],
        "name": medication["name"],
        "rxnorm": medication.get("rxnorm"),
        # Kept as the clinician wrote it when no RxNorm code came with it.
        "coded": not is_uncoded(medication),
    }


def _score(row) -> dict:
    return {
        "instrument": row.instrument,
        "answers": row.answers,
        "score": row.score,
        "severity": row.severity,
        "positive": row.positive,
        "crisis": row.crisis,
    }


def _content(row) -> dict:
    body = {
        "diagnoses": list(row.diagnoses or ()),
        "medications": [_medication(m) for m in row.medications or ()],
        "treatment": row.treatment,
        "next_appointment_at": _time(row.next_appointment_at),
        "scores": [_score(s) for s in row.scores],
        "note": row.note,
        "part2_basis": list(row.part2_basis or ()),
    }
    if row.part2:
        body["part2_notice"] = PART2_NOTICE
    return body


def return_json(seen: ReturnView) -> dict:
    """One return for one reader: who sent it and when always, the content when allowed."""
    row = seen.row
    body = {
        "id": row.id,
        "referral_id": row.referral_id,
        "referral_status": row.referral_status,
        "created_at": _time(row.created_at),
        "created_by": row.created_by,
        "created_by_role": row.created_by_role,
        "part2": bool(row.part2),
        "withheld": not seen.allowed,
        "problems": dict(seen.problems),
    }
    if seen.allowed:
        body.update(_content(row))
    return body
