"""Response shapes of the care plan API (api/care_plan_views.py builds them), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields

from episodes.roles import GOAL_STATUS_CODES, ROLE_CODES, TASK_STATUS_CODES


def _text(**kwargs):
    return fields.String(required=True, allow_none=True, **kwargs)


class MemberDoc(Schema):
    """One care team member."""

    id = fields.Integer(required=True)
    role = fields.String(required=True, metadata={"enum": list(ROLE_CODES)})
    role_label = fields.String(required=True)
    name = fields.String(required=True)
    npi = _text()
    organization_id = fields.Integer(required=True, allow_none=True)
    phone = _text()
    email = _text()
    added_by = fields.String(required=True)
    added_at = fields.DateTime(required=True)
    removed_at = fields.DateTime(required=True, allow_none=True)


class GoalDoc(Schema):
    """One goal in the patient's words (text null when withheld from this reader)."""

    id = fields.Integer(required=True)
    text = _text()
    status = fields.String(required=True, metadata={"enum": list(GOAL_STATUS_CODES)})
    status_label = fields.String(required=True)
    target_on = fields.Date(required=True, allow_none=True)
    part2 = fields.Boolean(required=True)
    withheld = fields.List(fields.String(), required=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class TaskDoc(Schema):
    """One task with its owner and due date (description null when withheld)."""

    id = fields.Integer(required=True)
    description = _text()
    owner_id = fields.Integer(required=True)
    owner_name = fields.String(required=True)
    goal_id = fields.Integer(required=True, allow_none=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(TASK_STATUS_CODES)})
    status_label = fields.String(required=True)
    part2 = fields.Boolean(required=True)
    withheld = fields.List(fields.String(), required=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    done_at = fields.DateTime(required=True, allow_none=True)


class CarePlanDisclosureDoc(Schema):
    """What this reader may see: the plan's content, and its Part 2 goals and tasks."""

    content = fields.Boolean(required=True)
    part2 = fields.Boolean(required=True)
    problems = fields.Dict(required=True)


class CarePlanDoc(Schema):
    """An episode's care team and shared care plan as this reader may see them."""

    episode_id = fields.Integer(required=True)
    disclosure = fields.Nested(CarePlanDisclosureDoc, required=True)
    care_team = fields.List(fields.Nested(MemberDoc), required=True)
    goals = fields.List(fields.Nested(GoalDoc), required=True)
    tasks = fields.List(
        fields.Nested(TaskDoc), required=True, metadata={"description": "By due date."}
    )
    part2_notice = fields.String(metadata={"description": "Present when Part 2 items are shown."})
