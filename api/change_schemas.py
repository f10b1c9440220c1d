"""GET /api/v1/changes: query arguments (since, cursor, limit) and the entries it lists."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

MAX_CLINICIAN_ID = 2**63 - 1


@dataclass(frozen=True)
class Position:
    """A place in the feed: after the listing changed at `changed_at` with this id."""

    changed_at: datetime
    id: int

    def encode(self) -> str:
        """An opaque cursor for the next link."""
        text = f"{self.changed_at.astimezone(UTC).isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        """The position a cursor names; ValidationError when it is not one of ours."""
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment, _, ident = text.partition("|")
            position = cls(datetime.fromisoformat(moment), int(ident))
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise ValidationError("Not a cursor from a next link.") from err
        if position.changed_at.tzinfo is None or not 0 <= position.id <= MAX_CLINICIAN_ID:
            raise ValidationError("Not a cursor from a next link.")
        return position


class Cursor(fields.String):
    """An opaque cursor from a next link, loaded as a Position."""

    def _deserialize(self, value, attr, data, **kwargs) -> Position:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 200:
            raise ValidationError("Not a cursor from a next link.")
        return Position.decode(text)


@dataclass(frozen=True)
class ChangeQuery:
    """Validated feed arguments."""

    since: datetime
    limit: int
    after: Position | None


class ChangesQuerySchema(Schema):
    """since (ISO 8601; no offset means UTC), an optional cursor, and limit."""

    since = fields.AwareDateTime(
        required=True,
        default_timezone=UTC,
        metadata={"description": "Listings changed after this moment (ISO 8601)."},
    )
    cursor = Cursor(metadata={"description": "From the `next` link; resumes after its entry."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1))

    @validates("limit")
    def _limit_within_page_size(self, value: int, **kwargs) -> None:
        largest = current_app.config.get("API_PAGE_SIZE_MAX", 100)
        if value > largest:
            raise ValidationError(f"Must be at most {largest}.")

    @validates("since")
    def _since_in_range(self, value: datetime, **kwargs) -> None:
        # Years outside 1..9999 cannot be shifted to UTC or stored.
        if not 2 <= value.year <= 9998:
            raise ValidationError("Give a moment between the years 2 and 9998.")

    @post_load
    def _to_query(self, data: dict, **kwargs) -> ChangeQuery:
        return ChangeQuery(data["since"].astimezone(UTC), data["limit"], data.get("cursor"))


class ChangeSchema(Schema):
    """One changed listing; `active` false means it left the directory."""

    npi = fields.String(required=True)
    changed_at = fields.DateTime(required=True)
    active = fields.Boolean(required=True)
    href = fields.String(required=True, metadata={"description": "The listing's detail URL."})
