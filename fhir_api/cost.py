"""A clinician's cost as a FHIR extension on their HealthcareService (Plan-Net has no element).

urn:bh-directory:fhir:StructureDefinition:cost is a complex extension with one sub-extension per
value we know, each itself complex: `value` (valueRange in USD for the self-pay fee per
session, valueBoolean for the rest), `source` (valueCode: who told us, directory/fact_rules.py
SOURCES) and `observed` (valueDateTime) when a fact observation backs the value. A value no
source has told us is left out: absence means unknown, never "no" and never "free".
"""

from __future__ import annotations

from collections.abc import Sequence

from directory.cost import Cost
from directory.cost_facts import CostLine, cost_lines
from directory.fact_resolution import Finding
from fhir_api.times import instant

COST_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:cost"
# Fact kind -> sub-extension url.
PARTS = {
    "self_pay_fee": "selfPayFee",
    "sliding_scale": "slidingScale",
    "free_care": "freeCare",
    "accepts_medicaid": "acceptsMedicaid",
    "accepts_medicare": "acceptsMedicare",
    "accepts_uninsured": "acceptsUninsured",
}
_USD = {"unit": "USD", "system": "urn:iso:std:iso:4217", "code": "USD"}


def _fee(value: dict) -> dict:
    fee = {}
    if value.get("min") is not None:
        fee["low"] = {"value": value["min"], **_USD}
    if value.get("max") is not None:
        fee["high"] = {"value": value["max"], **_USD}
    return {"url": "value", "valueRange": fee}


def _part(line: CostLine) -> dict:
    if line.kind == "self_pay_fee":
        inner = [_fee(line.value)]
    else:
        inner = [{"url": "value", "valueBoolean": bool(line.value)}]
    if line.source is not None:
        inner.append({"url": "source", "valueCode": line.source})
        inner.append({"url": "observed", "valueDateTime": instant(line.observed_at)})
    return {"url": PARTS[line.kind], "extension": inner}


def cost_extension(cost: Cost, findings: Sequence[Finding]) -> list[dict]:
    """The cost extension, or none when nothing about cost is known."""
    parts = [_part(line) for line in cost_lines(cost, findings) if line.known]
    return [{"url": COST_EXTENSION, "extension": parts}] if parts else []
