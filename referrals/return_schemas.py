"""The structured return's input: raw JSON (or the staff form turned into it) in, clean values out.

Lists and texts are capped before any item is parsed, as in referrals.input_fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from referrals.input_fields import (
    APPOINTMENT_AHEAD,
    APPOINTMENT_BACK,
    MAX_DIAGNOSES,
    MAX_MEDICATIONS,
    MAX_SHORT,
    MAX_TEXT,
    CappedList,
    Icd10,
    printable,
)
from screening.definitions import instruments
from screening.schemas import MAX_ANSWERS, SEXES

# What happened to a medication since the referral (FHIR MedicationStatement words follow).
MEDICATION_CHANGES = ("started", "changed", "stopped")
# An RxNorm concept id (RXCUI) is a number; the rest of the name is kept as text.
_RXCUI = re.compile(r"^[0-9]{1,10}$")
MAX_SCORES = 10
CONTENT_FIELDS = ("diagnoses", "medications", "treatment", "next_appointment_at", "scores", "note")


@dataclass(frozen=True)
class MedicationInput:
    """A medication started, changed or stopped; `rxnorm` None marks it uncoded (text only)."""

    change: str
    name: str
    rxnorm: str | None = None


@dataclass(frozen=True)
class ScoreInput:
    """A repeat score: the answers in item order, or the total alone."""

    instrument: str
    answers: tuple[int, ...] | None = None
    score: int | None = None
    sex: str | None = None


@dataclass(frozen=True)
class ReturnInput:
    """A parsed return, every field optional but at least one given."""

    diagnoses: tuple[str, ...] = ()
    medications: tuple[MedicationInput, ...] = ()
    treatment: str | None = None
    next_appointment_at: datetime | None = None
    scores: tuple[ScoreInput, ...] = ()
    note: str | None = None


def _text(cap: int, **kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=cap), printable], **kwargs)


class MedicationSchema(Schema):
    """`change`, `name` (text as written) and, when known, the RxNorm `rxnorm` code."""

    change = fields.String(required=True, validate=validate.OneOf(MEDICATION_CHANGES))
    name = _text(MAX_SHORT, required=True, metadata={"description": "e.g. sertraline 50 mg"})
    rxnorm = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(_RXCUI, error="Not an RxNorm code (digits, e.g. 312940)."),
        metadata={"description": "RxNorm RXCUI; leave out when not known (kept as uncoded)."},
    )

    @post_load
    def _clean(self, data: dict, **_kwargs) -> MedicationInput:
        return MedicationInput(data["change"], data["name"].strip(), data["rxnorm"])


class ScoreSchema(Schema):
    """`instrument` and either `answers` (scored here) or the `score` total."""

    instrument = fields.String(required=True, validate=validate.OneOf(sorted(instruments())))
    answers = fields.List(
        fields.Integer(strict=True),
        load_default=None,
        validate=validate.Length(min=1, max=MAX_ANSWERS),
    )
    score = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=0, max=999))
    sex = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SEXES))

    @validates_schema
    def _one_of(self, data: dict, **_kwargs) -> None:
        if (data.get("answers") is None) == (data.get("score") is None):
            raise ValidationError("Send either the answers or the score.", "answers")

    @post_load
    def _clean(self, data: dict, **_kwargs) -> ScoreInput:
        answers = tuple(data["answers"]) if data["answers"] is not None else None
        return ScoreInput(data["instrument"], answers, data["score"], data["sex"])


class ReturnSchema(Schema):
    """POST /api/v1/referrals/<id>/returns: what the clinician sends back to the PCP."""

    diagnoses = CappedList(
        Icd10(), MAX_DIAGNOSES, load_default=list, metadata={"description": "Working diagnoses."}
    )
    medications = CappedList(fields.Nested(MedicationSchema), MAX_MEDICATIONS, load_default=list)
    treatment = _text(MAX_TEXT, load_default=None, metadata={"description": "Treatment approach."})
    next_appointment_at = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    scores = CappedList(fields.Nested(ScoreSchema), MAX_SCORES, load_default=list)
    note = _text(MAX_TEXT, load_default=None)

    @validates("next_appointment_at")
    def _sane(self, value: datetime | None, **_kwargs) -> None:
        now = datetime.now(UTC)
        if value is not None and not now - APPOINTMENT_BACK <= value <= now + APPOINTMENT_AHEAD:
            raise ValidationError("Give an appointment from a year ago to five years ahead.")

    @validates_schema
    def _something(self, data: dict, **_kwargs) -> None:
        if not any(data.get(name) for name in CONTENT_FIELDS):
            raise ValidationError(f"Send at least one of: {', '.join(CONTENT_FIELDS)}.")

    @post_load
    def _clean(self, data: dict, **_kwargs) -> ReturnInput:
        return ReturnInput(
            diagnoses=tuple(dict.fromkeys(data["diagnoses"])),
            medications=tuple(data["medications"]),
            treatment=(data["treatment"] or "").strip() or None,
            next_appointment_at=data["next_appointment_at"],
            scores=tuple(data["scores"]),
            note=(data["note"] or "").strip() or None,
        )
