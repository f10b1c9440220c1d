"""What a clinician's care costs the patient: self-pay fees, sliding scale, free care, payers.

Kept per clinician, not per location: Medicaid and Medicare enrol the clinician's NPI, and a
clinician sets one self-pay fee wherever they see patients. Every value is a tri-state (None is
"no source has told us"), so an unknown is never read as "no" and never as "free".

The payment words are the program search's (programs/vocabulary.py PAYMENTS) without
"private": for a clinician, private insurance is network participation (the `plan` need).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

# The `payment` words a clinician search takes, in the order pages list them.
PAYMENTS = ("uninsured", "medicaid", "medicare", "free", "sliding_scale")
# The tri-state flags, each with its fact kind (directory/fact_rules.py) and its column.
FLAGS = ("sliding_scale", "free_care", "medicaid", "medicare", "uninsured")
FLAG_FACTS = {
    "sliding_scale": "sliding_scale",
    "free_care": "free_care",
    "medicaid": "accepts_medicaid",
    "medicare": "accepts_medicare",
    "uninsured": "accepts_uninsured",
}
FEE_FACT = "self_pay_fee"
COST_FACTS = (FEE_FACT, *FLAG_FACTS.values())
MAX_FEE = 2000  # USD per session; a higher self-pay fee is a typing error
# Payment word -> the flag that says yes to it directly.
_FLAG_OF = {"medicaid": "medicaid", "medicare": "medicare", "free": "free_care"}
_FLAG_OF["sliding_scale"] = "sliding_scale"


class CostInvalid(ValueError):
    """A fee range that cannot be right (negative, above MAX_FEE, min above max)."""


@dataclass(frozen=True)
class Cost:
    """One clinician's cost facts as we currently believe them; None means unknown."""

    fee_min: int | None = None
    fee_max: int | None = None
    sliding_scale: bool | None = None
    free_care: bool | None = None
    medicaid: bool | None = None
    medicare: bool | None = None
    uninsured: bool | None = None

    def __post_init__(self) -> None:
        check_fees(self.fee_min, self.fee_max)

    @property
    def known(self) -> bool:
        """True when any source told us anything about cost."""
        return any(getattr(self, name) is not None for name in _COST_FIELDS)

    @property
    def lowest_fee(self) -> int | None:
        """The least a self-pay session can cost: 0 with free care, else the fee's low end."""
        if self.free_care:
            return 0
        return self.fee_min

    def answer(self, payment: str) -> bool | None:
        """Whether the clinician takes `payment` (a PAYMENTS word): True, False or unknown."""
        if payment == "uninsured":
            # Free care or a sliding scale serves a patient without insurance (as for programs).
            if self.uninsured or self.free_care or self.sliding_scale:
                return True
            said_no = self.uninsured is False and not self.free_care and not self.sliding_scale
            return False if said_no else None
        return getattr(self, _FLAG_OF[payment])

    def accepted(self) -> frozenset[str]:
        """The PAYMENTS words the clinician is known to take."""
        return frozenset(p for p in PAYMENTS if self.answer(p))

    def within(self, max_fee: float) -> bool:
        """True when a session can cost `max_fee` or less (an unknown fee cannot)."""
        lowest = self.lowest_fee
        return lowest is not None and lowest <= max_fee


# Cost.known reads these twice per match result: dataclasses.fields() each time cost more.
_COST_FIELDS = tuple(f.name for f in fields(Cost))


def merged(stored: Cost, stated: Cost) -> Cost:
    """`stored` with every value `stated` knows put over it (the fee range as one value)."""
    changes = {flag: getattr(stated, flag) for flag in FLAGS if getattr(stated, flag) is not None}
    if stated.fee_min is not None or stated.fee_max is not None:
        changes.update(fee_min=stated.fee_min, fee_max=stated.fee_max)
    return replace(stored, **changes)


def check_fees(low: int | None, high: int | None) -> None:
    """Raise CostInvalid unless the range is whole dollars within 0..MAX_FEE, low <= high."""
    for value in (low, high):
        if value is not None and not 0 <= value <= MAX_FEE:
            raise CostInvalid(f"a self-pay fee is 0 to {MAX_FEE} USD")
    if low is not None and high is not None and low > high:
        raise CostInvalid("the lowest fee is above the highest")


# Flag -> the clinician column holding it.
FLAG_COLUMNS = {
    "sliding_scale": "sliding_scale",
    "free_care": "free_care",
    "medicaid": "accepts_medicaid",
    "medicare": "accepts_medicare",
    "uninsured": "accepts_uninsured",
}


def cost_columns(cost: Cost | None) -> dict[str, Any]:
    """Every cost column of the clinician table for `cost` (all None when unknown)."""
    cost = cost or Cost()
    columns = {"fee_min": cost.fee_min, "fee_max": cost.fee_max}
    columns.update({column: getattr(cost, flag) for flag, column in FLAG_COLUMNS.items()})
    return columns


def _flag(value: Any) -> bool | None:
    # SQLite hands back 0/1 for booleans read through Core or the raw driver.
    return None if value is None else bool(value)


def cost_of(row: Any) -> Cost:
    """The Cost held in a row's cost columns (a Clinician, or a Core row with the same names)."""
    flags = {flag: _flag(getattr(row, column)) for flag, column in FLAG_COLUMNS.items()}
    return Cost(fee_min=row.fee_min, fee_max=row.fee_max, **flags)


def apply_cost(clinician: Any, cost: Cost) -> None:
    """Write `cost` into the clinician's columns (the caller records the facts and commits)."""
    clinician.fee_min, clinician.fee_max = cost.fee_min, cost.fee_max
    for flag, column in FLAG_COLUMNS.items():
        setattr(clinician, column, getattr(cost, flag))


def fact_values(cost: Cost) -> dict[str, Any]:
    """Fact kind -> value for what `cost` knows (unknowns are left out, never written as no)."""
    found: dict[str, Any] = {}
    if cost.fee_min is not None or cost.fee_max is not None:
        found[FEE_FACT] = {"min": cost.fee_min, "max": cost.fee_max}
    for flag, kind in FLAG_FACTS.items():
        value = getattr(cost, flag)
        if value is not None:
            found[kind] = value
    return found


def dollars(amount: float) -> str:
    """'$60' (whole dollars, as fees are stored)."""
    return f"${amount:,.0f}"


def fee_text(cost: Cost) -> str | None:
    """'$60-$120 a session', 'from $60 a session', None when no fee is known."""
    low, high = cost.fee_min, cost.fee_max
    if low is None and high is None:
        return None
    if low is None:
        return f"up to {dollars(high)} a session"
    if high is None or high == low:
        return f"{'' if high is not None else 'from '}{dollars(low)} a session"
    return f"{dollars(low)}-{dollars(high)} a session"


# The English words of a cost summary, in the order a card lists them (pages/cost.py says the
# same in the reader's language; the API's `text` is this one, with no request to read).
_SUMMARY = (
    ("free_care", "Free care"),
    ("sliding_scale", "Sliding scale"),
    ("medicaid", "Takes Medicaid"),
    ("medicare", "Takes Medicare"),
    ("uninsured", "Sees uninsured (self-pay) patients"),
)


def summary_text(cost: Cost) -> str:
    """'Sliding scale · Takes Medicaid · Self-pay $60-$120 a session', or that it is unknown."""
    if not cost.known:
        return "Cost not known: ask about fees and insurance."
    parts = [words for flag, words in _SUMMARY if getattr(cost, flag)]
    fee = fee_text(cost)
    if fee:
        parts.append(f"Self-pay {fee}")
    return " · ".join(parts or ["No free care, sliding scale, Medicaid or Medicare listed"])
