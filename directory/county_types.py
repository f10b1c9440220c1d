"""A ZIP's county designation under CMS Medicare Advantage network adequacy (2026 reference)."""

from __future__ import annotations

import csv
from functools import cache

from directory.geography import DATA_DIR, zip5

# Most to least dense, as CMS orders them (CEAC: counties with extreme access considerations).
DESIGNATIONS = ("Large Metro", "Metro", "Micro", "Rural", "CEAC")


@cache
def _table() -> dict[str, str]:
    """ZIP -> designation (zip_county_designation.csv, see data/SOURCES.md), read once."""
    with (DATA_DIR / "zip_county_designation.csv").open(encoding="utf-8", newline="") as f:
        return {row["zip"]: row["designation"] for row in csv.DictReader(f)}


def county_type(postal_code: str | None) -> str | None:
    """The designation of the county most of the ZIP's addresses lie in; None when unknown."""
    code = zip5(postal_code)
    return _table().get(code) if code else None
