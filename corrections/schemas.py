"""Queue input, parsed once: a public report, a bounced contact, a resolution, an answer."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from corrections.statuses import (
    BOUNCE_PROBLEMS,
    CLINICIAN_ANSWERS,
    DETAILS_MAX,
    EVIDENCE_MAX,
    METHODS,
    NOTE_MAX,
    OUTCOMES,
    REPORT_PROBLEMS,
    STATUS_TABLE,
)


class _Trimmed(fields.String):
    """A string with surrounding space removed (validators see the trimmed text)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _blank_as_none(data: dict) -> dict:
    """Empty optional answers mean "not given"."""
    return {name: (value if value != "" else None) for name, value in data.items()}


@dataclass(frozen=True)
class ReportInput:
    """What a member of the public says is wrong with a listing."""

    problem: str
    details: str | None = None
    plan_id: str | None = None


class ReportSchema(Schema):
    """A public report: the problem, optional words (no health information asked), the plan."""

    problem = fields.String(required=True, validate=validate.OneOf(list(REPORT_PROBLEMS)))
    details = _Trimmed(
        load_default=None, allow_none=True, validate=validate.Length(max=DETAILS_MAX)
    )
    plan_id = _Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=64))

    @post_load
    def _build(self, data, **_kwargs) -> ReportInput:
        return ReportInput(**_blank_as_none(data))


@dataclass(frozen=True)
class BounceInput:
    """A contact on the listing that failed: which channel, which address or number."""

    channel: str
    contact: str
    note: str | None = None


class BounceSchema(Schema):
    """A bounced email or a phone number that did not connect."""

    channel = fields.String(required=True, validate=validate.OneOf(list(BOUNCE_PROBLEMS)))
    contact = _Trimmed(required=True, validate=validate.Length(min=1, max=200))
    note = _Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))

    @post_load
    def _build(self, data, **_kwargs) -> BounceInput:
        return BounceInput(**_blank_as_none(data))


@dataclass(frozen=True)
class Resolution:
    """How staff closed an item; a verification carries its method and evidence."""

    outcome: str
    note: str | None = None
    method: str | None = None
    evidence: str | None = None


class ResolveSchema(Schema):
    """An outcome, and for a verified listing the method and evidence of the check."""

    outcome = fields.String(required=True, validate=validate.OneOf(list(OUTCOMES)))
    note = _Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))
    method = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(METHODS))
    )
    evidence = _Trimmed(
        load_default=None, allow_none=True, validate=validate.Length(max=EVIDENCE_MAX)
    )

    @validates_schema
    def _verified_how(self, data, **_kwargs) -> None:
        if not STATUS_TABLE[data["outcome"]].verifies:
            return
        missing = {
            name: ["Say how the listing was checked."]
            for name in ("method", "evidence")
            if not data.get(name)
        }
        if missing:
            raise ValidationError(missing)

    @post_load
    def _build(self, data, **_kwargs) -> Resolution:
        return Resolution(**_blank_as_none(data))


class VerifySchema(Schema):
    """A staff verification of a whole listing: the method and the evidence, both required."""

    method = fields.String(required=True, validate=validate.OneOf(list(METHODS)))
    evidence = _Trimmed(required=True, validate=validate.Length(min=1, max=EVIDENCE_MAX))


@dataclass(frozen=True)
class Answer:
    """A clinician's answer to a report about their own listing."""

    answer: str
    note: str | None = None


class AnswerSchema(Schema):
    """Confirm the listing is right, or say it has been corrected."""

    answer = fields.String(required=True, validate=validate.OneOf(list(CLINICIAN_ANSWERS)))
    note = _Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))

    @post_load
    def _build(self, data, **_kwargs) -> Answer:
        return Answer(**_blank_as_none(data))
