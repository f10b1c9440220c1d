"""Header names matched loosely: case, spaces and punctuation ignored, old names as aliases.

Files whose layout changed over releases (the CMS Doctors & Clinicians file renamed org_nm to
'Facility Name', cty to 'City/Town', zip to 'ZIP Code') are read by one canonical name per column.
"""

import csv
import re
from collections.abc import Mapping
from pathlib import Path

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SNIFF_BYTES = 1 << 16


def squash(name: str) -> str:
    """'  City/Town' -> 'citytown': lower case, only letters and digits (a BOM dropped)."""
    return _NOT_ALNUM.sub("", name.lstrip("\ufeff").lower())


def resolve_columns(header: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Canonical name -> the header's own (stripped) name, for every canonical column found."""
    by_squash: dict[str, str] = {}
    for name in header:
        by_squash.setdefault(squash(name), name.strip().lstrip("\ufeff"))
    found: dict[str, str] = {}
    for canonical, names in aliases.items():
        for alias in (canonical, *names):
            actual = by_squash.get(squash(alias))
            if actual is not None:
                found[canonical] = actual
                break
    return found


def missing_columns(
    header: list[str], aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> list[str]:
    """The required canonical names the header has under none of their names."""
    found = resolve_columns(header, aliases)
    return [name for name in required if name not in found]


def first_line_header(path: Path) -> list[str]:
    """The names in a file's first line ([] for a folder, an empty or unreadable file)."""
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        first = handle.readline(_SNIFF_BYTES).decode("utf-8", errors="replace")
    return next(csv.reader([first]), [])
