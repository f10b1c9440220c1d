"""Response shapes of the directory and change feed, for the OpenAPI document (matches:
match_response_schemas).

The routes serialize with their own schemas (clinician_schemas, catalog_schemas,
match_schemas); these declare the same bodies with types, nullability and required members so
the document is exact, and the fuzz test checks every response against them.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields

from api.change_schemas import ChangeSchema
from api.cost_schemas import ClinicianCostDoc
from api.provenance_schemas import FactProvenanceDoc
from directory.geography import GeoPrecision


def text_field(**kwargs) -> fields.String:
    """A string that may be null."""
    return fields.String(allow_none=True, **kwargs)


class ProblemSchema(Schema):
    """RFC 9457 problem details; `message` repeats `detail` for older callers."""

    class Meta:
        unknown = INCLUDE  # some problems add members, e.g. allowed_events or crisis

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Not Found"})
    status = fields.Integer(required=True, metadata={"example": 404})
    detail = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "Same as detail."})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Per-field messages (invalid requests)."},
    )


def _link() -> fields.String:
    return fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Relative URL of the adjacent page; null at either end."},
    )


class PageSchema(Schema):
    """What every offset-paged list carries besides its results."""

    total = fields.Integer(required=True, metadata={"description": "Results over all pages."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    next = _link()
    prev = _link()


class TaxonomyDoc(Schema):
    """A NUCC code the clinician holds."""

    code = fields.String(required=True)
    display = fields.String(required=True)
    primary = fields.Boolean(required=True)


class LanguageDoc(Schema):
    """A language the clinician offers care in (ISO 639-1)."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    proficiency = text_field(required=True)


class PlaceDoc(Schema):
    """Where the clinician practises."""

    id = fields.Integer(required=True)
    name = text_field(required=True)
    address = fields.String(required=True)
    city = text_field(required=True)
    state = text_field(required=True)
    postal_code = text_field(required=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    geo_precision = fields.String(
        required=True,
        metadata={
            "enum": [p.value for p in GeoPrecision],
            "description": "How near lat/lon stand to the address; 'none': not on a map.",
        },
    )
    phone = text_field(required=True)


class DetailPlaceDoc(PlaceDoc):
    """A location with the plans taken there and whether it takes new patients."""

    plans = fields.List(fields.String(), required=True)
    accepting_new_patients = fields.Boolean(required=True, allow_none=True)
    accepting_override = fields.Boolean(required=True, allow_none=True)


class ClinicianSummaryDoc(Schema):
    """A clinician as one search result."""

    npi = fields.String(required=True, metadata={"example": "1234567893"})
    name = fields.String(required=True)
    first_name = text_field(required=True)
    last_name = fields.String(required=True)
    credentials = fields.List(fields.String(), required=True)
    gender = text_field(required=True)
    pronouns = text_field(required=True)
    taxonomies = fields.List(fields.Nested(TaxonomyDoc), required=True)
    languages = fields.List(fields.Nested(LanguageDoc), required=True)
    accepting_new_patients = fields.Boolean(required=True, allow_none=True)
    plans = fields.List(fields.String(), required=True)
    locations = fields.List(fields.Nested(PlaceDoc), required=True)
    last_verified = fields.DateTime(required=True, allow_none=True)
    verification_source = text_field(required=True)
    stale = fields.Boolean(required=True)
    provenance = fields.List(fields.Nested(FactProvenanceDoc), required=True)
    cost = fields.Nested(ClinicianCostDoc, required=True)


class LicenseDoc(Schema):
    """A state license."""

    state = fields.String(required=True)
    license_type = text_field(required=True)
    number = fields.String(required=True)
    expires_on = fields.Date(required=True, allow_none=True)


class CompetencyDoc(Schema):
    """A cultural competency and how we know it."""

    code = fields.String(required=True)
    label = fields.String(required=True)
    provenance = fields.String(required=True)


def _codes() -> fields.List:
    return fields.List(fields.String(), required=True)


class ClinicianDetailDoc(ClinicianSummaryDoc):
    """Everything the directory shows about one clinician."""

    locations = fields.List(fields.Nested(DetailPlaceDoc), required=True)
    licenses = fields.List(fields.Nested(LicenseDoc), required=True)
    competencies = fields.List(fields.Nested(CompetencyDoc), required=True)
    conditions_treated = _codes()
    conditions_not_treated = _codes()
    approaches = _codes()
    age_groups = _codes()
    modalities = _codes()
    next_available_on = fields.Date(required=True, allow_none=True)
    wait_days = fields.Integer(required=True, allow_none=True)
    referral_capacity = fields.Integer(required=True, allow_none=True)


class ClinicianPageDoc(PageSchema):
    """A page of clinicians."""

    results = fields.List(fields.Nested(ClinicianSummaryDoc), required=True)


class NetworkRefDoc(Schema):
    """A network a plan uses."""

    id = fields.String(required=True)
    name = fields.String(required=True)


class PlanDoc(Schema):
    """A plan product or provider network; `id` is what /clinicians?plan= takes."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True, metadata={"example": "HMO"})
    kind = fields.String(required=True, metadata={"enum": ["plan", "network"]})
    payer = text_field(required=True)
    networks = fields.List(fields.Nested(NetworkRefDoc), required=True)


class PlanPageDoc(PageSchema):
    """A page of plans and networks."""

    results = fields.List(fields.Nested(PlanDoc), required=True)


class TermDoc(Schema):
    """A vocabulary term; some vocabularies add members (plain, group, min_age...)."""

    class Meta:
        unknown = INCLUDE

    code = fields.String(required=True)
    label = fields.String(required=True)


class VocabularyDoc(Schema):
    """A controlled vocabulary."""

    name = fields.String(required=True)
    terms = fields.List(fields.Nested(TermDoc), required=True)


class VocabularyListDoc(Schema):
    """Every vocabulary."""

    total = fields.Integer(required=True)
    results = fields.List(fields.Nested(VocabularyDoc), required=True)


class TermListDoc(Schema):
    """One vocabulary's terms, or the languages."""

    name = fields.String()
    total = fields.Integer(required=True)
    results = fields.List(fields.Nested(TermDoc), required=True)


class ChangePageDoc(Schema):
    """A page of the change feed."""

    since = fields.DateTime(required=True)
    total = fields.Integer(
        required=True, metadata={"description": "Listings changed since `since`."}
    )
    limit = fields.Integer(required=True)
    next = _link()
    resume = fields.String(
        required=True,
        metadata={"description": "Poll this later for changes after the last entry."},
    )
    results = fields.List(fields.Nested(ChangeSchema), required=True)
