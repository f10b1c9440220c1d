"""Query arguments shared by offset-paged lists."""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates

from api.directory_schemas import MAX_OFFSET


class PageArgsSchema(Schema):
    """limit (1..API_PAGE_SIZE_MAX) and offset."""

    limit = fields.Integer(load_default=100, validate=validate.Range(min=1))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))

    @validates("limit")
    def _limit_within_page_size(self, value: int, **kwargs) -> None:
        largest = current_app.config.get("API_PAGE_SIZE_MAX", 100)
        if value > largest:
            raise ValidationError(f"Must be at most {largest}.")
