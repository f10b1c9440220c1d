"""What a program search asks for, parsed once from raw input (ProgramNeedsSchema)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates_schema
from marshmallow.validate import Length, OneOf, Range

from directory.geography import Point, zip_centroid
from directory.vocabulary import languages
from programs.vocabulary import LEVELS_OF_CARE, MEDICATIONS, PAYMENTS, need_domains

SCHEDULES = ("open_now", "evening", "weekend")
CRITERIA = ("needs", "levels_of_care", "medications", "languages", "age", "payment", "schedule")
# Asked for and not named in `required`/`preferred`: eligibility-like criteria are required,
# the rest rank (a Spanish-speaking pantry first, an English-only one still listed).
REQUIRED_BY_DEFAULT = frozenset({"needs", "levels_of_care", "medications", "age"})
DEFAULT_MAX_DISTANCE_MILES = 25.0
MAX_DISTANCE_MILES = 100.0
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class ProgramNeeds:
    """A parsed program search."""

    point: Point
    max_distance_miles: float = DEFAULT_MAX_DISTANCE_MILES
    needs: tuple[str, ...] = ()
    levels_of_care: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    age: int | None = None
    payment: tuple[str, ...] = ()
    schedule: tuple[str, ...] = ()
    required: frozenset[str] = REQUIRED_BY_DEFAULT
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def asked(self, criterion: str) -> bool:
        """True when the search names this criterion."""
        value = getattr(self, criterion)
        return value is not None and value != ()

    def requires(self, criterion: str) -> bool:
        """Asked for and required (unmet excludes a program)."""
        return self.asked(criterion) and criterion in self.required

    def replace(self, **changes) -> ProgramNeeds:
        """A copy with `changes`."""
        return replace(self, **changes)


def _codes(choices, most: int) -> fields.List:
    return fields.List(fields.String(validate=OneOf(choices)), validate=Length(max=most))


class ProgramNeedsSchema(Schema):
    """Raw search input -> ProgramNeeds; every problem reported under its field."""

    class Meta:
        unknown = RAISE

    postal_code = fields.String(validate=Length(max=10))
    lat = fields.Float(validate=Range(-90, 90))
    lon = fields.Float(validate=Range(-180, 180))
    max_distance_miles = fields.Float(
        load_default=DEFAULT_MAX_DISTANCE_MILES, validate=Range(0.5, MAX_DISTANCE_MILES)
    )
    needs = _codes(tuple(need_domains()), 7)
    levels_of_care = _codes(LEVELS_OF_CARE, 6)
    medications = _codes(MEDICATIONS, 3)
    languages = fields.List(fields.String(validate=Length(equal=2)), validate=Length(max=10))
    age = fields.Integer(validate=Range(0, 130))
    payment = _codes(PAYMENTS, 6)
    schedule = _codes(SCHEDULES, 3)
    required = _codes(CRITERIA, 7)
    preferred = _codes(CRITERIA, 7)
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=Range(1, 100))
    offset = fields.Integer(load_default=0, validate=Range(0, 10_000))

    @validates_schema
    def _one_place(self, data: dict, **_kwargs) -> None:
        point = "lat" in data or "lon" in data
        if ("postal_code" in data) == point or (point and not ("lat" in data and "lon" in data)):
            raise ValidationError("Give postal_code, or lat and lon.", "postal_code")
        unknown = [c for c in data.get("languages", ()) if c.lower() not in languages()]
        if unknown:
            raise ValidationError(f"Unknown language code(s): {', '.join(unknown)}.", "languages")

    @post_load
    def _needs(self, data: dict, **_kwargs) -> ProgramNeeds:
        if "postal_code" in data:
            point = zip_centroid(data["postal_code"])
            if point is None:
                raise ValidationError("Unknown ZIP code.", "postal_code")
        else:
            point = Point(data["lat"], data["lon"])
        required = set(data.get("required", REQUIRED_BY_DEFAULT)) - set(data.get("preferred", ()))
        return ProgramNeeds(
            point=point,
            max_distance_miles=data["max_distance_miles"],
            needs=tuple(data.get("needs", ())),
            levels_of_care=tuple(data.get("levels_of_care", ())),
            medications=tuple(data.get("medications", ())),
            languages=tuple(c.lower() for c in data.get("languages", ())),
            age=data.get("age"),
            payment=tuple(data.get("payment", ())),
            schedule=tuple(data.get("schedule", ())),
            required=frozenset(required),
            limit=data["limit"],
            offset=data["offset"],
        )
