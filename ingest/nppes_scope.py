"""Which NPPES rows this directory keeps, decided before a row is built (or even parsed)."""

import csv
from collections.abc import Callable
from pathlib import Path

from directory.taxonomy import behavioral_health_codes, nucc
from ingest.nppes_fields import ENTITY, TAXONOMY, is_deactivated

_FIELD_BREAK = b'","'  # NPPES quotes every field


class Scope:
    """Entity type 1, a behavioral-health taxonomy, and an NPI still active."""

    def __init__(self):
        self.codes = behavioral_health_codes("individual")
        self.known = nucc()
        # An unknown code in a behavioral-health class is a typo to report, not a row to skip.
        self.prefixes = frozenset(code[:4] for code in self.codes)

    def __call__(self, values: dict[str, str]) -> bool:
        """True for a parsed row this directory keeps."""
        if values.get(ENTITY) != "1":
            return False
        for column in TAXONOMY:
            code = values.get(column)
            if code and (code in self.codes or self.looks_in_scope(code)):
                return not is_deactivated(values)
        return False

    def looks_in_scope(self, code: str) -> bool:
        """An unknown code in a behavioral-health class (e.g. a typo of 103TC0700X)."""
        return code not in self.known and code[:4] in self.prefixes

    def raw_filter(self, path: Path) -> Callable[[bytes], bool] | None:
        """A test on the raw line that is False only for rows surely out of scope, or None."""
        with path.open(encoding="utf-8", errors="replace", newline="") as f:
            header = [h.strip().lstrip("\ufeff") for h in next(csv.reader(f), [])]
        if ENTITY not in header or TAXONOMY[0] not in header:
            return None  # read_csv refuses the file
        positions = [header.index(c) for c in TAXONOMY if c in header]
        entity = header.index(ENTITY)
        last = max(positions)
        if last >= len(header) - 1:
            return None  # the last field carries the line end; parse instead
        return _RawFilter(self, len(header), entity, positions)


class _RawFilter:
    """Splits a fully quoted line on '","' and looks at the entity and taxonomy fields only."""

    def __init__(self, scope: Scope, width: int, entity: int, positions: list[int]):
        self.breaks = width - 1
        self.entity = entity
        self.positions = positions
        self.maxsplit = max(positions) + 1
        self.rest = self.breaks - self.maxsplit  # breaks after the last field looked at
        self.codes = frozenset(c.encode("ascii") for c in scope.codes)
        self.known = frozenset(c.encode("ascii") for c in scope.known)
        self.prefixes = frozenset(p.encode("ascii") for p in scope.prefixes)

    def __call__(self, raw: bytes) -> bool:
        # ~3 µs against ~30 µs to parse 330 fields; a line that splits oddly is parsed.
        fields = raw.split(_FIELD_BREAK, self.maxsplit)
        # Every break counted once: the split's, then the rest of the line's (counting the
        # whole line again first cost a sixth of the filter).
        if len(fields) <= self.maxsplit or fields[-1].count(_FIELD_BREAK) != self.rest:
            return True
        entity = fields[self.entity].strip(b'"')
        if entity == b"":
            return True  # a deactivated NPI's row: only the NPI and its dates are filled
        if entity != b"1":
            return False
        for position in self.positions:
            code = fields[position]
            if code and (
                code in self.codes or (code not in self.known and code[:4] in self.prefixes)
            ):
                return True
        return False
