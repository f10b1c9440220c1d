"""Care team and care plan input: raw JSON (or a form turned into it) in, clean values out."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from directory.npi import npi_error
from episodes.roles import GOAL_STATUS_CODES, ROLE_BY_CODE, ROLE_CODES, TASK_STATUS_CODES

MAX_TEXT = 1000
MAX_SHORT = 200
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Ids are 32-bit integer keys on PostgreSQL: a larger one names nothing.
_ID = validate.Range(min=1, max=2**31 - 1)


def _printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL, and nothing here needs them)."""
    if not value.strip():
        raise ValidationError("Must not be blank.")
    if not value.replace("\n", " ").replace("\t", " ").isprintable():
        raise ValidationError("Must not contain control characters.")


def _in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError("Give a date from 1900-01-01 to 2100-12-31.")


def _text(cap: int, **kwargs):
    return fields.String(validate=[validate.Length(min=1, max=cap), _printable], **kwargs)


def _npi(value: str) -> None:
    problem = npi_error(value)
    if problem:
        raise ValidationError(problem)


class NewMemberSchema(Schema):
    """POST /api/v1/episodes/<id>/care-team: a clinician by NPI, others by organization or name."""

    role = fields.String(required=True, validate=validate.OneOf(ROLE_CODES))
    name = _text(MAX_SHORT, load_default=None)
    npi = fields.String(load_default=None, validate=_npi)
    organization_id = fields.Integer(load_default=None, validate=_ID, strict=True)
    phone = _text(30, load_default=None)
    email = fields.Email(load_default=None, validate=validate.Length(max=254))

    @validates_schema
    def _identified(self, data, **_kwargs):
        """Each role needs what identifies its members (roles.Role.identified_by)."""
        role = ROLE_BY_CODE.get(data.get("role"))
        if role is None:
            return
        needed = {"npi": "npi", "organization": "organization_id", "name": "name"}
        field = needed[role.identified_by]
        if data.get(field) is None:
            raise ValidationError(f"a {role.label.lower()} needs {field}", field)


class NewGoalSchema(Schema):
    """POST /api/v1/episodes/<id>/goals: a goal in the patient's own words."""

    text = _text(MAX_TEXT, required=True)
    status = fields.String(load_default="active", validate=validate.OneOf(GOAL_STATUS_CODES))
    target_on = fields.Date(load_default=None, validate=_in_range)


class GoalChangeSchema(Schema):
    """PATCH /api/v1/episodes/<id>/goals/<goal_id>: any of the goal's fields."""

    text = _text(MAX_TEXT)
    status = fields.String(validate=validate.OneOf(GOAL_STATUS_CODES))
    target_on = fields.Date(allow_none=True, validate=_in_range)


class NewTaskSchema(Schema):
    """POST /api/v1/episodes/<id>/tasks: what, whose (a team member), by when, for which goal."""

    description = _text(MAX_TEXT, required=True)
    owner_id = fields.Integer(required=True, validate=_ID, strict=True)
    due_on = fields.Date(required=True, validate=_in_range)
    goal_id = fields.Integer(load_default=None, validate=_ID, strict=True)
    status = fields.String(load_default="open", validate=validate.OneOf(TASK_STATUS_CODES))


class TaskChangeSchema(Schema):
    """PATCH /api/v1/episodes/<id>/tasks/<task_id>: any of the task's fields."""

    description = _text(MAX_TEXT)
    owner_id = fields.Integer(validate=_ID, strict=True)
    due_on = fields.Date(validate=_in_range)
    goal_id = fields.Integer(allow_none=True, validate=_ID, strict=True)
    status = fields.String(validate=validate.OneOf(TASK_STATUS_CODES))
