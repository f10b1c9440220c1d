"""Query-argument schemas: raw request input is parsed here once into clean domain objects."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask import current_app
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from directory.extensions import db
from directory.models import Network
from directory.npi import is_valid_npi
from directory.queries import ClinicianFilter
from directory.taxonomy import nucc
from directory.us_states import is_us_state
from directory.vocabulary import languages

_TEN_DIGITS = re.compile(r"^\d{10}$")
MAX_OFFSET = 10_000_000  # far beyond any directory; keeps the value inside a 32-bit column


def load_args(schema: Schema, args) -> object:
    """Load a werkzeug MultiDict with `schema`; a parameter given twice is an error, not ignored."""
    repeated = {
        key: ["Give this parameter once."] for key, values in args.lists() if len(values) > 1
    }
    if repeated:
        raise ValidationError(repeated)
    return schema.load(args.to_dict(flat=True))


def printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL in text, and nothing needs them)."""
    if not value.isprintable():
        raise ValidationError("Must not contain control characters.")


class Npi(fields.String):
    """A 10-digit NPI with a valid check digit."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not _TEN_DIGITS.match(text):
            raise ValidationError("An NPI is 10 digits.")
        if not is_valid_npi(text):
            raise ValidationError("Not a valid NPI (check digit).")
        return text


class UpperCode(fields.String):
    """A code compared upper case, checked against `known`."""

    def __init__(self, known, message: str, **kwargs):
        super().__init__(**kwargs)
        self.known = known
        self.message = message

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not self.known(code):
            raise ValidationError(self.message)
        return code


class LanguageCode(fields.String):
    """An ISO 639-1 code."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if code not in languages():
            raise ValidationError("Not an ISO 639-1 language code.")
        return code


class PlanRef(fields.String):
    """The id of a plan or network in the directory, loaded as the Network."""

    def _deserialize(self, value, attr, data, **kwargs) -> Network:
        ident = super()._deserialize(value, attr, data, **kwargs).strip()
        if not ident or len(ident) > 64 or not ident.isprintable():
            raise ValidationError("Not a plan or network id.")
        network = db.session.get(Network, ident)
        if network is None:
            raise ValidationError("Unknown plan or network id; see /api/v1/plans.")
        return network


class NpiSchema(Schema):
    """The NPI in /clinicians/<npi>."""

    npi = Npi(required=True)


class ClinicianQuerySchema(Schema):
    """GET /api/v1/clinicians arguments, loaded as a ClinicianFilter."""

    npi = Npi()
    name = fields.String(validate=[validate.Length(min=1, max=100), printable])
    taxonomy = UpperCode(lambda code: code in nucc(), "Not a NUCC taxonomy code.")
    language = LanguageCode()
    plan = PlanRef()
    state = UpperCode(is_us_state, "Not a two-letter US state code.")
    accepting_new_patients = fields.Boolean()
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))

    @validates("limit")
    def _limit_within_page_size(self, value: int, **kwargs) -> None:
        largest = current_app.config.get("API_PAGE_SIZE_MAX", 100)
        if value > largest:
            raise ValidationError(f"Must be at most {largest}.")

    @validates("name")
    def _name_has_words(self, value: str, **kwargs) -> None:
        if not value.replace(",", " ").split():
            raise ValidationError("Give at least one letter of a name.")

    @post_load
    def _to_filter(self, data: Mapping, **kwargs) -> ClinicianFilter:
        plan = data.pop("plan", None)
        networks = frozenset(plan.network_ids()) if plan is not None else None
        return ClinicianFilter(networks=networks, **data)
