"""Stored screening results read back with what their answers mean (re-scored, pure rules)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from directory.extensions import db
from screening.definitions import instruments
from screening.models import ScreeningResult
from screening.scorer import Scored, score


def scored_rows(rows: Iterable[ScreeningResult]) -> list[tuple[ScreeningResult, Scored]]:
    """Each stored result with its scored meaning, in the order given."""
    return [(row, score(instruments()[row.instrument], row.answers, row.sex)) for row in rows]


def attached_to(referral_id: int) -> list[tuple[ScreeningResult, Scored]]:
    """The screenings attached to a referral, oldest first, each with its scored meaning."""
    return scored_rows(
        db.session.scalars(
            select(ScreeningResult)
            .where(ScreeningResult.referral_id == referral_id)
            .order_by(ScreeningResult.id)
        )
    )
