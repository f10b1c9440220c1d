"""directory.cost.Cost's answers over whole columns: payments taken and fees within a limit."""

from __future__ import annotations

import numpy as np

from directory.cost import Cost
from matching.index.segment import NO_FEE, UNKNOWN, Clinicians

# Payment word -> the tri-state columns any of which says yes (Cost.answer).
_TAKES = {
    "uninsured": ("uninsured", "free_care", "sliding_scale"),
    "medicaid": ("medicaid",),
    "medicare": ("medicare",),
    "free": ("free_care",),
    "sliding_scale": ("sliding_scale",),
}


def takes_any(c: Clinicians, rows: np.ndarray, payments: tuple[str, ...]) -> np.ndarray:
    """Per row: the clinician is known to take one of `payments`."""
    found = np.zeros(len(rows), dtype=bool)
    for column in {name for p in payments for name in _TAKES[p]}:
        found |= getattr(c, column)[rows] == 1
    return found


def within_fee(c: Clinicians, rows: np.ndarray, max_fee: float) -> np.ndarray:
    """Per row: free care, or a known lowest self-pay fee of `max_fee` or less."""
    low = c.fee_min[rows]
    return (c.free_care[rows] == 1) | ((low != NO_FEE) & (low <= max_fee))


def _answer(value: int) -> bool | None:
    return None if value == UNKNOWN else bool(value)


def _fee(value: int) -> int | None:
    return None if value == NO_FEE else int(value)


def cost_at(c: Clinicians, row: int) -> Cost:
    """The Cost of one clinician row, as the embedded backend reads it from the database."""
    return Cost(
        fee_min=_fee(c.fee_min[row]),
        fee_max=_fee(c.fee_max[row]),
        sliding_scale=_answer(int(c.sliding_scale[row])),
        free_care=_answer(int(c.free_care[row])),
        medicaid=_answer(int(c.medicaid[row])),
        medicare=_answer(int(c.medicare[row])),
        uninsured=_answer(int(c.uninsured[row])),
    )
