"""Stored screening results read back with what their answers mean (re-scored, pure rules)."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from screening.definitions import instruments
from screening.models import ScreeningResult
from screening.scorer import Scored, score


def attached_to(referral_id: int) -> list[tuple[ScreeningResult, Scored]]:
    """The screenings attached to a referral, oldest first, each with its scored meaning."""
    rows = db.session.scalars(
        select(ScreeningResult)
        .where(ScreeningResult.referral_id == referral_id)
        .order_by(ScreeningResult.id)
    )
    return [(row, score(instruments()[row.instrument], row.answers, row.sex)) for row in rows]
