"""The Subscription a partner POSTs, parsed once: channel, endpoint, payload content, filter."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from referrals.fhir_subscription import (
    CHANNELS,
    CONTENT_EXTENSION,
    CONTENTS,
    FILTER_EXTENSION,
    FILTERS,
    HEARTBEAT_EXTENSION,
    HEARTBEAT_RANGE,
    TOPIC_PATH,
)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
EMAIL = re.compile(r"^mailto:[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
HEADER = re.compile(r"^[A-Za-z0-9-]{1,64}: [^\r\n]{1,400}$")
# Headers the server sets itself: a subscriber may not replace the signature or content type.
OWN_HEADERS = frozenset({"content-type", "x-signature-256", "x-signature-timestamp", "host"})


class _Extended(Schema):
    class Meta:
        unknown = EXCLUDE

    extension = fields.List(fields.Dict(), load_default=list)


class _Channel(Schema):
    class Meta:
        unknown = EXCLUDE

    type = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    endpoint = fields.String(required=True, validate=validate.Length(1, 500))
    payload = fields.String(validate=validate.OneOf(("application/fhir+json", "application/json")))
    payload_extensions = fields.Nested(_Extended, data_key="_payload", load_default=dict)
    header = fields.List(fields.String(validate=validate.Regexp(HEADER)), load_default=list)
    extension = fields.List(fields.Dict(), load_default=list)


def _extension(element: dict, url: str) -> object:
    """The value of the element's extension `url` (valueCode or valueString), or None."""
    for found in element.get("extension", []):
        if found.get("url") == url:
            return found.get("valueCode") or found.get("valueString")
    return None


def heartbeat_seconds(channel: dict) -> int | None:
    """The channel's backport heartbeatPeriod (valueUnsignedInt seconds, a minute to a day)."""
    found = [e for e in channel["extension"] if e.get("url") == HEARTBEAT_EXTENSION]
    if not found:
        return None
    value = found[0].get("valueUnsignedInt")
    low, high = HEARTBEAT_RANGE
    if len(found) > 1 or type(value) is not int or not low <= value <= high:
        raise ValidationError(f"heartbeatPeriod is {low} to {high} seconds, once", "channel")
    return value


def parse_filters(text: str | None) -> dict:
    """'Task?requester=Organization/org-3&status=ready' -> {'requester': ..., 'status': ...}."""
    if not text:
        return {}
    resource, _, query = text.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    if resource != "Task" or not pairs:
        raise ValidationError("filter criteria are Task?<param>=<value>", "_criteria")
    filters = {}
    for name, value in pairs:
        if name not in FILTERS or name in filters or not value:
            raise ValidationError(f"filter on one of {', '.join(FILTERS)}, once each", "_criteria")
        filters[name] = value
    return filters


def endpoint_problem(channel: str, endpoint: str, allow_loopback: bool) -> str | None:
    """Why the endpoint is refused (https only; http loopback when allowed), or None."""
    if channel == "email":
        return None if EMAIL.match(endpoint) else "an email endpoint is mailto:<address>"
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return None
    if allow_loopback and parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return "a rest-hook endpoint must be an https URL"


class SubscriptionSchema(Schema):
    """A backport Subscription: our topic, a channel, the payload content and a filter."""

    class Meta:
        unknown = EXCLUDE

    resourceType = fields.String(required=True, validate=validate.Equal("Subscription"))
    criteria = fields.String(required=True, validate=validate.Length(1, 500))
    criteria_extensions = fields.Nested(_Extended, data_key="_criteria", load_default=dict)
    reason = fields.String(validate=validate.Length(max=200), load_default=None)
    channel = fields.Nested(_Channel, required=True)

    @post_load
    def _clean(self, data: dict, **_) -> dict:
        if not data["criteria"].endswith(TOPIC_PATH):
            raise ValidationError(f"criteria is the topic <base>/fhir{TOPIC_PATH}", "criteria")
        channel = data["channel"]
        content = _extension(channel["payload_extensions"], CONTENT_EXTENSION) or "id-only"
        if content not in CONTENTS:
            raise ValidationError(f"payload content is one of {', '.join(CONTENTS)}", "channel")
        if channel["type"] == "email" and content == "full-resource":
            raise ValidationError("email carries empty or id-only payloads", "channel")
        if any(h.split(":", 1)[0].lower() in OWN_HEADERS for h in channel["header"]):
            raise ValidationError("channel.header may not set our own headers", "channel")
        return {
            "channel": channel["type"],
            "endpoint": channel["endpoint"],
            "content": content,
            "headers": channel["header"][:5],
            "filters": parse_filters(_extension(data["criteria_extensions"], FILTER_EXTENSION)),
            "reason": data["reason"],
            "heartbeat_seconds": heartbeat_seconds(channel),
        }


class EventsQuery(Schema):
    """The $events parameters: a range of event numbers and the payload content wanted."""

    class Meta:
        unknown = EXCLUDE

    since = fields.Integer(data_key="eventsSinceNumber", validate=validate.Range(min=1))
    until = fields.Integer(data_key="eventsUntilNumber", validate=validate.Range(min=1))
    content = fields.String(validate=validate.OneOf(CONTENTS), load_default=None)

    @post_load
    def _ordered(self, data: dict, **_) -> dict:
        if data.get("until", 10**9) < data.get("since", 1):
            raise ValidationError("eventsUntilNumber is at least eventsSinceNumber", "until")
        return data
