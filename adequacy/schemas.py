"""The adequacy report's query: a plan id and a two-letter state the HSD file covers."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from adequacy.standards import SPECIALTIES, known_state


class AdequacyArgsSchema(Schema):
    """?plan=AcmeGold&state=RI."""

    plan = fields.String(
        required=True, metadata={"description": "Plan or network id (GET /api/v1/plans)."}
    )
    state = fields.String(
        required=True,
        metadata={"description": "Two-letter USPS code of a state or territory in the HSD file."},
    )

    @pre_load
    def _tidy(self, data, **_kwargs):
        """Trim both values and upper-case the state."""
        data = {k: v.strip() if isinstance(v, str) else v for k, v in dict(data).items()}
        if isinstance(data.get("state"), str):
            data["state"] = data["state"].upper()
        return data

    @validates("plan")
    def _plan(self, value: str, **_kwargs) -> None:
        """A plan id is 1 to 64 characters."""
        if not 0 < len(value) <= 64:
            raise ValidationError("Give a plan id of 1 to 64 characters.")

    @validates("state")
    def _state(self, value: str, **_kwargs) -> None:
        """Only states and territories with CMS county standards."""
        if not known_state(value):
            raise ValidationError("Unknown state: give a two-letter code such as RI.")


class MapArgsSchema(AdequacyArgsSchema):
    """The page's query: the plan and state, and the specialty type its county map shades."""

    specialty = fields.String(
        load_default=None,
        validate=validate.OneOf(tuple(SPECIALTIES)),
        metadata={"description": "HSD specialty code: 029, 036, 037 or 068."},
    )
