"""A clinician's cost in API bodies: values, the payment words taken, and each value's source."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from marshmallow import Schema, fields

from directory.cost import COST_FACTS, PAYMENTS, Cost, summary_text
from directory.cost_facts import CostLine
from directory.fact_rules import SOURCES
from directory.models.verification import as_utc


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).astimezone(UTC).isoformat() if moment else None


def cost_json(cost: Cost, lines: Sequence[CostLine]) -> dict:
    """The `cost` object of a match result or a clinician (ClinicianCostDoc documents it)."""
    fee = None
    if cost.fee_min is not None or cost.fee_max is not None:
        fee = {"min": cost.fee_min, "max": cost.fee_max, "currency": "USD"}
    taken = cost.accepted()
    return {
        "known": cost.known,
        "accepts": [p for p in PAYMENTS if p in taken],
        "self_pay_fee": fee,
        "sliding_scale": cost.sliding_scale,
        "free_care": cost.free_care,
        "medicaid": cost.medicaid,
        "medicare": cost.medicare,
        "uninsured": cost.uninsured,
        "text": summary_text(cost),
        "sources": [
            {
                "fact": line.kind,
                "value": line.value,
                "source": line.source,
                "method": line.method,
                "observed_at": _iso(line.observed_at),
            }
            for line in lines
            if line.known
        ],
    }


class FeeDoc(Schema):
    """Whole US dollars per self-pay session; either end may be unknown."""

    min = fields.Integer(required=True, allow_none=True)
    max = fields.Integer(required=True, allow_none=True)
    currency = fields.String(required=True, metadata={"enum": ["USD"]})


class CostSourceDoc(Schema):
    """Whose word one cost value is, and when they said it (null: not recorded)."""

    fact = fields.String(required=True, metadata={"enum": list(COST_FACTS)})
    value = fields.Raw(required=True)
    source = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "One of: " + ", ".join(s.code for s in SOURCES)},
    )
    method = fields.String(required=True, allow_none=True)
    observed_at = fields.DateTime(required=True, allow_none=True)


class ClinicianCostDoc(Schema):
    """What care costs: each value true, false or null (null: no source has told us)."""

    known = fields.Boolean(required=True, metadata={"description": "False: cost not known."})
    accepts = fields.List(
        fields.String(metadata={"enum": list(PAYMENTS)}),
        required=True,
        metadata={"description": "The `payment` words the clinician is known to take."},
    )
    self_pay_fee = fields.Nested(FeeDoc, required=True, allow_none=True)
    sliding_scale = fields.Boolean(required=True, allow_none=True)
    free_care = fields.Boolean(required=True, allow_none=True)
    medicaid = fields.Boolean(required=True, allow_none=True)
    medicare = fields.Boolean(required=True, allow_none=True)
    uninsured = fields.Boolean(
        required=True, allow_none=True, metadata={"description": "Sees self-pay patients."}
    )
    text = fields.String(required=True)
    sources = fields.List(fields.Nested(CostSourceDoc), required=True)
