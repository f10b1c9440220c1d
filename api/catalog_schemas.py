"""Output schemas for the reference lists partners build pickers from: plans and vocabularies."""

from __future__ import annotations

from marshmallow import Schema, fields

from directory.vocabulary import Term


class NetworkRefSchema(Schema):
    """A network a plan uses."""

    id = fields.String()
    name = fields.String()


class PlanSchema(Schema):
    """A plan product or provider network; `id` is what /clinicians?plan= takes."""

    id = fields.String()
    name = fields.String()
    type = fields.String()
    kind = fields.String()
    payer = fields.String()
    networks = fields.List(fields.Nested(NetworkRefSchema))


def term_json(term: Term) -> dict:
    """A vocabulary term as code, label and the extras its file gives (plain, group...)."""
    return {"code": term.code, "label": term.label, **term.extra}
