"""Equity gaps: each group's share with a Wilson interval, its gap to a reference group (Newcombe).

Runs on rows after small cells are withheld: a share whose counts are withheld gets no rate and no
interval, so no interval can give a withheld count away.
"""

from __future__ import annotations

from collections.abc import Callable

from referrals.funnel import BOOKED_IN_TIME, BOOKED_WITH_DATE
from referrals.intervals import newcombe, wilson

PLACES = 4
NOT_RECORDED = "unknown"  # the funnel's key for referrals without the grouping's value


def _attended(row: dict) -> tuple[int, int] | None:
    """Referrals attended of those sent, when both counts are shown."""
    if row["attended"] is None or not row["sent"]:
        return None
    return row["attended"], row["sent"]


def _booked_in_time(row: dict) -> tuple[int, int] | None:
    """First appointments within 10 business days of those booked, when the share is shown."""
    if row["share_appointment_within_10_business_days"] is None:
        return None
    return row[BOOKED_IN_TIME], row[BOOKED_WITH_DATE]


def _followed_up(row: dict) -> tuple[int, int] | None:
    """Positive screens followed by a BH visit within 7 days (HEDIS FUH-style), when shown."""
    if row["follow_up_7_days"] is None or not row["positive_screens"]:
        return None
    return row["follow_up_7_days"], row["positive_screens"]


# measure -> (successes, trials) of a row, or None when the row's share is withheld.
MEASURES: dict[str, Callable[[dict], tuple[int, int] | None]] = {
    "attended": _attended,
    "booked_within_10_business_days": _booked_in_time,
    "follow_up_7_days": _followed_up,
}
FIELDS = tuple(
    f"{measure}_{suffix}" for measure in MEASURES for suffix in ("rate", "rate_ci", "gap", "gap_ci")
)


def default_reference(groups: list[dict]) -> str | None:
    """The recorded group with the most referrals sent (shown counts, ties by key), or None."""
    shown = [g for g in groups if g["sent"]]
    # "Not recorded" is no group to hold others to, unless it is all there is.
    recorded = [g for g in shown if g["key"] != NOT_RECORDED] or shown
    if not recorded:
        return None
    return min(recorded, key=lambda g: (-g["sent"], g["key"]))["key"]


def _rounded(pair: tuple[float, float]) -> list[float]:
    return [round(pair[0], PLACES), round(pair[1], PLACES)]


def _rate(counts: tuple[int, int] | None) -> dict:
    """The share and its Wilson 95% interval, or None for both."""
    if counts is None:
        return {"rate": None, "rate_ci": None}
    return {"rate": round(counts[0] / counts[1], PLACES), "rate_ci": _rounded(wilson(*counts))}


def _gap(counts, reference_counts) -> dict:
    """The share minus the reference's, with Newcombe's hybrid score 95% interval."""
    if counts is None or reference_counts is None:
        return {"gap": None, "gap_ci": None}
    (k, n), (k_ref, n_ref) = counts, reference_counts
    gap = k / n - k_ref / n_ref
    return {"gap": round(gap, PLACES), "gap_ci": _rounded(newcombe(k, n, k_ref, n_ref))}


def add_equity(groups: list[dict], total: dict, reference: str | None) -> None:
    """Rates and intervals on every row, gaps to `reference` on the groups; drops the raw counts."""
    by_key = {g["key"]: g for g in groups}
    for measure, counts_of in MEASURES.items():
        ref_row = by_key.get(reference)
        ref_counts = counts_of(ref_row) if ref_row is not None else None
        for row in groups:
            counts = counts_of(row)
            figures = _rate(counts)
            # The reference itself has no gap to show.
            figures |= _gap(None if row is ref_row else counts, ref_counts)
            row.update({f"{measure}_{name}": value for name, value in figures.items()})
        total.update({f"{measure}_{name}": v for name, v in _rate(counts_of(total)).items()})
    for row in [*groups, total]:
        row.pop(BOOKED_IN_TIME, None)
        row.pop(BOOKED_WITH_DATE, None)
