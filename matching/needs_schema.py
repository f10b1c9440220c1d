"""NeedsSchema: raw input from a web form, the call console or the JSON API -> Needs.

Collaborators are passed in, never read from Flask: `plans` looks a plan or network id up and
`geocoder` turns an address into a point. Every problem is reported under its field.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validates,
    validates_schema,
)
from marshmallow.validate import Length, OneOf, Range

from directory.cost import MAX_FEE, PAYMENTS
from directory.geography import AddressGeocoder, Point, place_zip, zip5
from directory.taxonomy import expand_specialties, nucc
from directory.vocabulary import GENDERS, age_groups_for, languages, vocabulary
from matching.diagnoses import Diagnosis, DiagnosisError, diagnose
from matching.needs import (
    AVAILABILITY,
    BEST_FIT,
    DEFAULT_LIMIT,
    DEFAULT_MAX_DISTANCE_MILES,
    MAX_DISTANCE_MILES,
    MODALITIES,
    SORTS,
    Needs,
    PlanScope,
)
from matching.policy import SELECTABLE, PolicyError, required_needs
from matching.states import US_STATE_CODES, state_for_point, state_for_zip

log = logging.getLogger(__name__)
PlanLookup = Callable[[str], PlanScope | None]
# Lists are capped above their vocabularies' sizes (concerns 26, competencies 18...): a real
# request never reaches a cap, and a hostile one is refused before any item is looked at.
MAX_DIAGNOSES = 20


class FormList(fields.List):
    """A list of at most `max_items`; a comma-separated string (a web form, a query) works too."""

    def __init__(self, inner: fields.Field, max_items: int, **kwargs):
        # The validator puts maxItems in the OpenAPI document; _deserialize enforces it first.
        super().__init__(inner, validate=Length(max=max_items), **kwargs)
        self.max_items = max_items

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        # Counted before any item is looked at: a long list costs nothing to refuse.
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise ValidationError(f"Give at most {self.max_items}.")
        return super()._deserialize(value, attr, data, **kwargs)


class CodeList(FormList):
    """A list of vocabulary codes."""

    def __init__(
        self,
        known: Callable[[], Mapping],
        noun: str,
        max_items: int,
        upper: bool = False,
        **kwargs,
    ):
        inner = fields.String(validate=Length(1, 40))
        super().__init__(inner, max_items, load_default=(), **kwargs)
        self.known, self.noun, self.upper = known, noun, upper

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        codes = [c.strip().upper() if self.upper else c.strip().lower() for c in raw]
        unknown = [c for c in codes if c not in self.known()]
        if unknown:
            raise ValidationError(f"unknown {self.noun} code: {', '.join(unknown)}")
        return tuple(sorted(set(codes)))


class DiagnosisList(FormList):
    """ICD-10-CM codes, each mapped to concerns, taxonomies, social needs and crisis."""

    def __init__(self, **kwargs):
        inner = fields.String(validate=Length(1, 12))
        super().__init__(inner, MAX_DIAGNOSES, load_default=(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[Diagnosis, ...]:
        found, bad = {}, []
        for raw in super()._deserialize(value, attr, data, **kwargs):
            try:
                diagnosis = diagnose(raw)
            except DiagnosisError:
                bad.append(raw)
            else:
                found[diagnosis.code] = diagnosis
        if bad:
            raise ValidationError(f"not ICD-10-CM codes: {', '.join(bad)}")
        return tuple(found[code] for code in sorted(found))


class PlanField(fields.String):
    """A plan or network id, loaded as the PlanScope the schema's `plans` look-up finds."""

    def _deserialize(self, value, attr, data, **kwargs) -> PlanScope:
        plan_id = super()._deserialize(value, attr, data, **kwargs)
        super()._validate(plan_id)  # the id's own rules (its length) before the look-up
        scope = self.parent.plans(plan_id)
        if scope is None:
            raise ValidationError("unknown plan or network; see GET /api/v1/plans")
        return scope

    def _validate(self, value) -> None:
        """Nothing more: the validators were applied to the id in _deserialize."""


def _vocab(name: str) -> Callable[[], Mapping]:
    return lambda: vocabulary(name)


class NeedsSchema(Schema):
    """Validates and resolves needs; `load` returns a Needs (one instance serves many loads)."""

    class Meta:
        unknown = RAISE

    postal_code = fields.String(validate=Length(1, 10))
    lat = fields.Float(validate=Range(-90, 90))
    lon = fields.Float(validate=Range(-180, 180))
    address = fields.String(validate=Length(3, 300))
    state = fields.String(validate=Length(2, 2))
    max_distance_miles = fields.Float(
        load_default=DEFAULT_MAX_DISTANCE_MILES,
        validate=Range(0, MAX_DISTANCE_MILES, min_inclusive=False),
    )
    plan = PlanField(validate=Length(1, 64))
    concerns = CodeList(_vocab("concerns"), "concern", max_items=30)
    diagnoses = DiagnosisList()
    specialties = CodeList(nucc, "NUCC taxonomy", max_items=20, upper=True)
    age = fields.Integer(validate=Range(0, 130))
    languages = CodeList(languages, "ISO 639-1 language", max_items=10)
    clinician_gender = fields.String(validate=OneOf(GENDERS))
    cultural_preferences = CodeList(_vocab("competencies"), "competency", max_items=20)
    modality = fields.String(load_default="in_person", validate=OneOf(MODALITIES))
    accessibility = CodeList(_vocab("accessibility"), "accessibility", max_items=10)
    availability = CodeList(lambda: dict.fromkeys(AVAILABILITY), "availability", max_items=5)
    max_wait_days = fields.Integer(validate=Range(0, 365))
    payment = CodeList(lambda: dict.fromkeys(PAYMENTS), "payment", max_items=5)
    max_fee = fields.Float(validate=Range(0, MAX_FEE))
    accepting_new_patients = fields.Boolean(load_default=True)
    required = FormList(fields.String(validate=OneOf(SELECTABLE)), 20, load_default=())
    preferred = FormList(fields.String(validate=OneOf(SELECTABLE)), 20, load_default=())
    sort = fields.String(load_default=BEST_FIT, validate=OneOf(SORTS))
    limit = fields.Integer(load_default=DEFAULT_LIMIT)
    offset = fields.Integer(load_default=0, validate=Range(0, 10_000))

    def __init__(
        self, plans: PlanLookup, geocoder: AddressGeocoder, max_limit: int = 100, **kwargs
    ):
        super().__init__(**kwargs)
        self.plans, self.geocoder = plans, geocoder
        # Fields are copied shallowly per schema instance: replace the list, never append to it.
        limit = self.fields["limit"]
        limit.validators = [*limit.validators, Range(1, max_limit)]

    @validates("postal_code")
    def _known_zip(self, value: str, **_) -> None:
        if zip5(value) is None:
            raise ValidationError("not a ZIP code")
        if place_zip(value).point is None:  # any USPS ZIP with a point, not only ZCTAs
            raise ValidationError("unknown ZIP code")

    @validates("state")
    def _known_state(self, value: str, **_) -> None:
        if value.upper() not in US_STATE_CODES:
            raise ValidationError("not a US state code")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _one_location(self, data: dict, original: dict, **_) -> None:
        # Presence is judged on the raw input, so a bad ZIP is not also "no location".
        if not isinstance(original, dict):
            return
        given = {k for k in ("postal_code", "lat", "lon", "address") if k in original}
        kinds = [k for k in ("postal_code", "address") if k in given]
        kinds += ["lat/lon"] if given & {"lat", "lon"} else []
        if not kinds:
            raise ValidationError("give postal_code, lat and lon, or address", "location")
        if len(kinds) > 1:
            raise ValidationError("give only one of postal_code, lat/lon, address", "location")
        if kinds == ["lat/lon"] and len(given) == 1:
            missing = "lon" if "lat" in given else "lat"
            raise ValidationError("lat and lon go together", missing)

    @post_load
    def _resolve(self, data: dict, **_) -> Needs:
        point = self._point(data)
        try:
            required = required_needs(data["required"], data["preferred"])
        except PolicyError as err:
            raise ValidationError(str(err), "required") from err
        return Needs(
            point=point,
            state=self._state(data, point),
            max_distance_miles=data["max_distance_miles"],
            plan=data.get("plan"),
            concerns=_concerns(data),
            diagnoses=data["diagnoses"],
            specialties=data["specialties"],
            specialty_codes=frozenset(expand_specialties(list(data["specialties"]))),
            age=data.get("age"),
            age_groups=frozenset(age_groups_for(data["age"])) if "age" in data else frozenset(),
            languages=data["languages"],
            clinician_gender=data.get("clinician_gender"),
            cultural_preferences=data["cultural_preferences"],
            modality=data["modality"],
            accessibility=data["accessibility"],
            availability=data["availability"],
            max_wait_days=data.get("max_wait_days"),
            payment=data["payment"],
            max_fee=data.get("max_fee"),
            accepting_new_patients=data["accepting_new_patients"],
            required=required,
            sort=data["sort"],
            limit=data["limit"],
            offset=data["offset"],
        )

    def _point(self, data: dict) -> Point:
        if "postal_code" in data:
            return place_zip(data["postal_code"]).point
        if "lat" in data:
            return Point(data["lat"], data["lon"])
        try:
            found = self.geocoder.locate(data["address"])
        except Exception as err:  # a geocoder outage is the caller's 400, not our 500
            log.warning("geocoder failed: %s", type(err).__name__)
            found = None
        if found is None:
            raise ValidationError("could not locate this address; give a ZIP code", "address")
        return found

    @staticmethod
    def _state(data: dict, point: Point) -> str | None:
        if "state" in data:
            return data["state"].upper()
        if "postal_code" in data:
            return state_for_zip(data["postal_code"])
        return state_for_point(point)


def _concerns(data: dict) -> tuple[str, ...]:
    """Requested concerns plus those the diagnoses map to."""
    derived = {c for d in data["diagnoses"] for c in d.concerns}
    return tuple(sorted(set(data["concerns"]) | derived))
