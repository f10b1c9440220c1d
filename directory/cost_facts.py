"""A clinician's cost as facts: written with their source and date, read back with them.

The columns (directory/cost.py) are what matching filters on; each write also records one fact
observation per known value, so every page can say who told us and when. Reading pairs each
column with the winning observation of its kind; a value no observation backs (set before cost
facts were recorded) is shown without a source rather than with a wrong one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from directory.cost import (
    COST_FACTS,
    FEE_FACT,
    FLAG_FACTS,
    Cost,
    apply_cost,
    cost_of,
    fact_values,
)
from directory.fact_resolution import Finding, Observed, normalized
from directory.facts import clinician as subject
from directory.facts import observe, winners_many
from directory.models import Clinician
from directory.models.verification import utcnow


@dataclass(frozen=True)
class CostLine:
    """One cost fact as shown: its value now (None: unknown) and whose word it is."""

    kind: str  # a directory.cost.COST_FACTS kind
    value: Any
    source: str | None = None
    method: str | None = None
    observed_at: datetime | None = None

    @property
    def known(self) -> bool:
        """True when some source gave a value."""
        return self.value is not None


def set_cost(
    clinician: Clinician,
    cost: Cost,
    source: str,
    *,
    actor_id: int | None = None,
    method: str | None = None,
    evidence: str | None = None,
    observed_at: datetime | None = None,
    changed_only: bool = False,
) -> int:
    """Write `cost` to the listing and observe each known value (with `changed_only`, each
    value that differs from the listing's); return how many were observed (no commit)."""
    before = fact_values(cost_of(clinician))
    apply_cost(clinician, cost)
    when = observed_at or utcnow()
    values = fact_values(cost)
    if changed_only:
        values = {k: v for k, v in values.items() if normalized(before.get(k)) != normalized(v)}
    for kind, value in values.items():
        observe(
            subject(clinician.id),
            kind,
            value,
            source,
            observed_at=when,
            method=method,
            evidence=evidence,
            actor_id=actor_id,
        )
    return len(values)


def _column_values(cost: Cost) -> dict[str, Any]:
    found: dict[str, Any] = {FEE_FACT: None}
    if cost.fee_min is not None or cost.fee_max is not None:
        found[FEE_FACT] = {"min": cost.fee_min, "max": cost.fee_max}
    for flag, kind in FLAG_FACTS.items():
        found[kind] = getattr(cost, flag)
    return found


def cost_lines(cost: Cost, findings: Sequence[Finding]) -> list[CostLine]:
    """Each cost fact in COST_FACTS order, with the source whose word it is, if any."""
    return _lines(cost, {f.kind: f.winner for f in findings if f.kind in COST_FACTS})


def _lines(cost: Cost, words: dict[str, Observed]) -> list[CostLine]:
    """cost_lines given the winning word per cost kind."""
    lines = []
    for kind, value in _column_values(cost).items():
        word = words.get(kind)
        if value is None or word is None or normalized(word.value) != normalized(value):
            lines.append(CostLine(kind, value))
            continue
        lines.append(CostLine(kind, value, word.source, word.method, word.observed_at))
    return lines


def cost_lines_many(
    costs: dict[int, Cost], now: datetime | None = None
) -> dict[int, list[CostLine]]:
    """cost_lines for many clinicians (a results page), reading their cost facts in one query."""
    found = winners_many("clinician", list(costs), now, kinds=COST_FACTS)
    return {cid: _lines(cost, _words(found.get(cid, []))) for cid, cost in costs.items()}


def _words(winners: list) -> dict[str, Observed]:
    """The winning word per cost kind (the last fact of a kind, as cost_lines keeps it)."""
    return {key[0]: word for key, word in winners if key[0] in COST_FACTS}
