"""The program vocabularies, read from programs/data (sources and licenses in SOURCES.md)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
OPEN_ELIGIBILITY = "open eligibility"
LEVELS_OF_CARE = ("1", "2.1", "2.5", "3.x", "4", "otp")  # ASAM levels, and opioid treatment
MEDICATIONS = ("buprenorphine", "methadone", "naltrexone")
PAYMENTS = ("uninsured", "medicaid", "medicare", "private", "free", "sliding_scale")
# Who pays nothing up front can be served uninsured: free care, a sliding scale, or assistance.
SERVES_UNINSURED = frozenset({"free", "sliding_scale", "payment_assistance"})


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def need_domains() -> dict[str, str]:
    """Need domain code -> label, in file order (the one table of needs)."""
    return {row["code"]: row["label"] for row in _rows("need_domains.csv")}


@cache
def need_labels(locale: str) -> dict[str, str]:
    """Need domain code -> label in `locale` ('es'), English where the table has no column."""
    column = f"label_{locale}"
    return {r["code"]: r.get(column) or r["label"] for r in _rows("need_domains.csv")}


@cache
def _open_eligibility_parents() -> dict[str, str]:
    return {row["id"]: row["parent_id"] for row in _rows("openeligibility_taxonomy.csv")}


@cache
def _mapped_needs() -> dict[tuple[str, str], str]:
    return {(r["taxonomy"].lower(), r["code"]): r["need"] for r in _rows("taxonomy_needs.csv")}


def taxonomy_need(taxonomy: str | None, code: str | None) -> tuple[bool, str | None]:
    """(known, need) for a taxonomy term: a term inherits the need of its nearest mapped parent."""
    code = (code or "").strip()
    if (taxonomy or OPEN_ELIGIBILITY).strip().lower() != OPEN_ELIGIBILITY:
        return False, None
    parents = _open_eligibility_parents()
    if code not in parents:
        return False, None
    mapped = _mapped_needs()
    while code and code != "0":
        need = mapped.get((OPEN_ELIGIBILITY, code))
        if need:
            return True, need
        code = parents.get(code, "")
    return True, None


@cache
def _findtreatment() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for row in _rows("findtreatment_services.csv"):
        found.setdefault(row["service"].casefold(), []).append((row["facet"], row["code"]))
    return found


def findtreatment_facets(phrase: str) -> list[tuple[str, str]] | None:
    """[(facet, code)] a FindTreatment service phrase means; None for a phrase not in the table."""
    return _findtreatment().get(phrase.strip().casefold())
