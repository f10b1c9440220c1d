"""Response shape of the patient timeline (api/timeline_views.py builds it), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.care_plan_schemas import GoalDoc, TaskDoc
from api.episode_schemas import EpisodePatientDoc, EpisodeScreeningDoc
from api.referral_response_schemas import EventDoc
from api.return_schemas import ReturnViewDoc
from referrals.timeline import KINDS


class TimelineEntryDoc(Schema):
    """One dated entry; exactly one of screening, event, return, goal or task is present."""

    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    on = fields.Date(required=True, metadata={"description": "The local date it falls on."})
    at = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When it happened; null for a task's due date."},
    )
    referral_id = fields.Integer(required=True, allow_none=True)
    withheld = fields.Boolean(
        required=True, metadata={"description": "Its content is withheld from this reader."}
    )
    screening = fields.Nested(EpisodeScreeningDoc)
    event = fields.Nested(EventDoc)
    return_ = fields.Nested(ReturnViewDoc, data_key="return")
    goal = fields.Nested(GoalDoc)
    task = fields.Nested(TaskDoc)


class TimelineDoc(Schema):
    """One episode's timeline, oldest first."""

    episode_id = fields.Integer(required=True)
    patient = fields.Nested(
        EpisodePatientDoc,
        required=True,
        allow_none=True,
        metadata={"description": "null when withheld from this reader (a revoked consent)."},
    )
    withheld = fields.List(fields.String(), required=True)
    entries = fields.List(fields.Nested(TimelineEntryDoc), required=True)
