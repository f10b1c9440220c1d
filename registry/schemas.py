"""A registry request parsed once: instrument, flag, sort and page (never a patient's name)."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from registry.measures import FLAGS, INSTRUMENTS
from registry.queries import SORT_CHOICES

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


@dataclass(frozen=True)
class RegistryQuery:
    """What the reader asked to see."""

    instrument: str = "phq9"
    flag: str | None = None
    sort: str = "-score"
    limit: int = DEFAULT_LIMIT
    offset: int = 0


class RegistryQuerySchema(Schema):
    """Query arguments of the registry page and API."""

    class Meta:
        unknown = EXCLUDE

    instrument = fields.String(load_default="phq9", validate=validate.OneOf(INSTRUMENTS))
    flag = fields.String(load_default=None, validate=validate.OneOf(FLAGS))
    sort = fields.String(load_default="-score", validate=validate.OneOf(SORT_CHOICES))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))

    @post_load
    def _build(self, data, **_kwargs) -> RegistryQuery:
        return RegistryQuery(**data)
