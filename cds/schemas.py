"""CDS Hooks requests and feedback: raw JSON in, clean objects out (marshmallow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from cds.services import prefetch_templates

HOOKS = ("patient-view", "order-select")
OUTCOMES = ("accepted", "overridden")
MAX_FEEDBACK = 50
_ID = validate.Length(min=1, max=255)


class FhirAuthorizationSchema(Schema):
    """The token the EHR lends the service for its FHIR server (only Bearer tokens)."""

    class Meta:
        unknown = EXCLUDE

    access_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))
    token_type = fields.String(required=True, validate=validate.Equal("Bearer"))
    expires_in = fields.Integer(required=True, strict=True)
    scope = fields.String(required=True)
    subject = fields.String(required=True)


class ContextSchema(Schema):
    """patient-view's context; order-select adds selections and draftOrders."""

    class Meta:
        unknown = EXCLUDE

    userId = fields.String(required=True, validate=_ID)
    patientId = fields.String(required=True, validate=_ID)
    encounterId = fields.String(load_default=None, validate=_ID)
    selections = fields.List(fields.String(validate=_ID), load_default=None)
    draftOrders = fields.Dict(load_default=None)


def _resource_or_null(value: object) -> bool:
    return value is None or (isinstance(value, dict) and isinstance(value.get("resourceType"), str))


def _ours(prefetch: dict) -> dict:
    """The prefetch items this service asked for; other keys are not read (nor kept)."""
    return {key: value for key, value in prefetch.items() if key in prefetch_templates()}


@dataclass(frozen=True)
class HookRequest:
    """A hook call, checked: which hook, for whom, with what prefetch."""

    hook: str
    hook_instance: str
    context: dict
    prefetch: dict = field(default_factory=dict)
    fhir_server: str | None = None
    access_token: str | None = None


class HookRequestSchema(Schema):
    """The CDS Hooks 2.0 request body."""

    class Meta:
        unknown = EXCLUDE

    hook = fields.String(required=True, validate=validate.OneOf(HOOKS))
    hookInstance = fields.UUID(required=True)
    fhirServer = fields.Url(load_default=None, require_tld=False, schemes={"http", "https"})
    fhirAuthorization = fields.Nested(FhirAuthorizationSchema, load_default=None, allow_none=True)
    context = fields.Nested(ContextSchema, required=True)
    prefetch = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.Raw(allow_none=True),
        load_default=dict,
        allow_none=True,
    )

    @validates_schema
    def _check(self, data: dict, **_kwargs) -> None:
        context = data.get("context") or {}
        if data.get("hook") == "order-select" and (
            context.get("selections") is None or context.get("draftOrders") is None
        ):
            raise ValidationError("order-select needs selections and draftOrders", "context")
        ours = _ours(data.get("prefetch") or {})
        bad = [key for key, value in ours.items() if not _resource_or_null(value)]
        if bad:
            raise ValidationError(f"not a FHIR resource or null: {', '.join(bad)}", "prefetch")
        if data.get("fhirAuthorization") and not data.get("fhirServer"):
            raise ValidationError("fhirAuthorization is given without fhirServer", "fhirServer")

    @post_load
    def _clean(self, data: dict, **_kwargs) -> HookRequest:
        authorization = data["fhirAuthorization"]
        return HookRequest(
            hook=data["hook"],
            hook_instance=str(data["hookInstance"]),
            context=data["context"],
            prefetch=_ours(data["prefetch"] or {}),
            fhir_server=data["fhirServer"],
            access_token=authorization["access_token"] if authorization else None,
        )


class CodingSchema(Schema):
    """A Coding (an override reason)."""

    class Meta:
        unknown = EXCLUDE

    system = fields.String(load_default=None, validate=validate.Length(max=255))
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    display = fields.String(load_default=None, validate=validate.Length(max=255))


class OverrideReasonSchema(Schema):
    """Why a card was overridden; the free-text userComment is read but not kept."""

    class Meta:
        unknown = EXCLUDE

    reason = fields.Nested(CodingSchema, load_default=None)
    userComment = fields.String(load_default=None)


class SuggestionIdSchema(Schema):
    """An accepted suggestion's uuid."""

    id = fields.UUID(required=True)


@dataclass(frozen=True)
class Feedback:
    """One card's outcome."""

    card: str
    outcome: str
    outcome_at: datetime
    accepted: tuple[str, ...] = ()
    reason: dict | None = None  # {system, code, display}


class FeedbackItemSchema(Schema):
    """One entry of the feedback array."""

    class Meta:
        unknown = EXCLUDE

    card = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    outcomeTimestamp = fields.AwareDateTime(required=True, default_timezone=UTC)
    acceptedSuggestions = fields.List(fields.Nested(SuggestionIdSchema), load_default=list)
    overrideReason = fields.Nested(OverrideReasonSchema, load_default=None)

    @validates_schema
    def _check(self, data: dict, **_kwargs) -> None:
        if data.get("outcome") == "overridden" and data.get("acceptedSuggestions"):
            raise ValidationError("an overridden card has no accepted suggestions", "outcome")
        if data.get("outcome") == "accepted" and data.get("overrideReason"):
            raise ValidationError("an accepted card has no override reason", "outcome")

    @post_load
    def _clean(self, data: dict, **_kwargs) -> Feedback:
        reason = (data["overrideReason"] or {}).get("reason")
        return Feedback(
            card=str(data["card"]),
            outcome=data["outcome"],
            outcome_at=data["outcomeTimestamp"],
            accepted=tuple(str(s["id"]) for s in data["acceptedSuggestions"]),
            reason=reason,
        )


class FeedbackSchema(Schema):
    """The feedback request body."""

    class Meta:
        unknown = EXCLUDE

    feedback = fields.List(
        fields.Nested(FeedbackItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_FEEDBACK),
    )
