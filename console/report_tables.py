"""The reports page's tables as CSV: one header row, then rows; a withheld cell is left empty."""

from __future__ import annotations

import csv
import io

from referrals.directory_accuracy import BUCKETS
from referrals.equity import MEASURES
from referrals.funnel import COUNTS

TIMING = ("median_days_to_appointment", "share_appointment_within_10_business_days")
SHARE_ACK = "share_acknowledged_within_2_business_days"
FUNNEL_TABLES = ("funnel", "timing", "equity")
DIRECTORY_TABLES = ("verification", "reports", "flags", "declines", "responsiveness", "inactive")
TABLES = (*FUNNEL_TABLES, *DIRECTORY_TABLES)
# A spreadsheet runs a cell starting with these as a formula; names come from public sources.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell: empty for withheld, numbers as written, text defused against formulas."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _funnel_rows(funnel: dict, columns: tuple[str, ...]) -> list[list]:
    rows = [[g["key"], *(g[c] for c in columns)] for g in funnel["groups"]]
    return [*rows, ["total", *(funnel["total"][c] for c in columns)]]


def _equity_header() -> list[str]:
    """group, then per measure: rate, its interval's ends, gap, the gap interval's ends."""
    return ["group"] + [
        f"{measure}_{name}"
        for measure in MEASURES
        for name in ("rate", "rate_ci_low", "rate_ci_high", "gap", "gap_ci_low", "gap_ci_high")
    ]


def _equity_row(key: str, row: dict) -> list:
    """One row's rates, gaps and interval ends; empty where withheld (or no gap)."""
    cells: list = [key]
    for measure in MEASURES:
        for name in ("rate", "gap"):
            interval = row.get(f"{measure}_{name}_ci") or (None, None)
            cells += [row.get(f"{measure}_{name}"), *interval]
    return cells


def _equity_rows(funnel: dict) -> list[list]:
    rows = [_equity_row(g["key"], g) for g in funnel["groups"]]
    return [_equity_header(), *rows, _equity_row("total", funnel["total"])]


def _measures(figures: dict) -> list[list]:
    return [[key, value] for key, value in figures.items()]


def table_rows(name: str, funnel: dict | None, directory: dict | None) -> list[list]:
    """Header and rows of table `name` (one of TABLES) from the reports."""
    if name == "funnel":
        return [["group", *COUNTS], *_funnel_rows(funnel, COUNTS)]
    if name == "equity":
        return _equity_rows(funnel)
    if name == "timing":
        return [["group", *TIMING], *_funnel_rows(funnel, TIMING)]
    if name == "verification":
        figures = directory["verification"]
        rows = [[bucket, figures["buckets"][bucket]] for bucket in BUCKETS]
        share = ["share_verified_within_90_days", figures["share_verified_within_90_days"]]
        return [["days_since_verified", "listings"], *rows, ["total", figures["listings"]], share]
    if name == "reports":
        reports = directory["reports"]
        by_source = [[f"source:{k}", n] for k, n in reports["by_source"].items()]
        return [["reason", "items"], *_measures(reports["by_reason"]), *by_source]
    if name == "declines":
        declines = directory["declines"]
        rows = [[r["reason"], r["referrals"]] for r in declines["reasons"]]
        return [["reason", "referrals"], *rows, ["total", declines["total"]["referrals"]]]
    if name == "responsiveness":
        found = directory["responsiveness"]
        rows = [[r["npi"], r["name"], r["referrals"], r[SHARE_ACK]] for r in found["clinicians"]]
        total = ["total", "", found["total"]["referrals"], found["total"][SHARE_ACK]]
        return [["npi", "name", "referrals", SHARE_ACK], *rows, total]
    return [["measure", "value"], *_measures(directory[name])]


def to_csv(rows: list[list]) -> str:
    """The rows as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
