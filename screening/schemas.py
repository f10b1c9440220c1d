"""The screening request: raw JSON in, a clean ScreeningInput out (the scorer checks answers)."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, fields, post_load, validate

from screening.definitions import instruments

MAX_ANSWERS = 50  # the longest instrument has 11 items; anything longer is refused unread
MAX_ID = 2**31 - 1
SEXES = ("female", "male")


@dataclass(frozen=True)
class ScreeningInput:
    """A screening to score: which instrument, one integer per item, and what it attaches to."""

    instrument: str
    answers: tuple[int, ...]
    sex: str | None = None
    referral_id: int | None = None


class ScreeningInputSchema(Schema):
    """`instrument` key, `answers` in item order, optional `sex` and `referral_id`."""

    instrument = fields.String(required=True, validate=validate.OneOf(sorted(instruments())))
    answers = fields.List(
        fields.Integer(strict=True),
        required=True,
        validate=validate.Length(min=1, max=MAX_ANSWERS),
        metadata={"description": "One integer per item, in item order (see /instruments)."},
    )
    sex = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(SEXES),
        metadata={"description": "Sex for sex-specific cut-offs (AUDIT-C)."},
    )
    referral_id = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Attach the result to this referral (its referring side only)."},
    )

    @post_load
    def _clean(self, data: dict, **_kwargs) -> ScreeningInput:
        return ScreeningInput(
            instrument=data["instrument"],
            answers=tuple(data["answers"]),
            sex=data["sex"],
            referral_id=data["referral_id"],
        )
