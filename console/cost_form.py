"""The cost fields of a listing form (the clinician's own page, the admin's): form in, Cost out."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validates_schema
from marshmallow.validate import OneOf, Range
from werkzeug.datastructures import MultiDict

from directory.cost import FLAGS, MAX_FEE, Cost, CostInvalid, check_fees

ANSWERS = {"yes": True, "no": False, "unknown": None}
COST_FIELDS = ("fee_min", "fee_max", *FLAGS)


def _answer() -> fields.String:
    return fields.String(load_default="unknown", validate=OneOf(tuple(ANSWERS)))


class CostFormSchema(Schema):
    """Fee range (blank: unknown) and a yes / no / not stated answer per flag."""

    class Meta:
        unknown = EXCLUDE  # the rest of the listing form

    # A blank fee is left out of the input (cost_from_form): unknown.
    fee_min = fields.Integer(load_default=None, validate=Range(0, MAX_FEE))
    fee_max = fields.Integer(load_default=None, validate=Range(0, MAX_FEE))
    sliding_scale = _answer()
    free_care = _answer()
    medicaid = _answer()
    medicare = _answer()
    uninsured = _answer()

    @validates_schema
    def _range(self, data: dict, **_) -> None:
        try:
            check_fees(data.get("fee_min"), data.get("fee_max"))
        except CostInvalid as err:
            raise ValidationError(str(err), "fee_max") from err

    @post_load
    def _cost(self, data: dict, **_) -> Cost:
        flags = {flag: ANSWERS[data[flag]] for flag in FLAGS}
        return Cost(fee_min=data["fee_min"], fee_max=data["fee_max"], **flags)


def cost_from_form(form: MultiDict) -> Cost:
    """The form's cost; ValidationError names the fields that are wrong."""
    raw = {key: value.strip() for key, value in form.items() if value.strip()}
    return CostFormSchema().load(raw)


def answer_of(value: bool | None) -> str:
    """The radio value a stored answer shows as."""
    return {True: "yes", False: "no"}.get(value, "unknown")
