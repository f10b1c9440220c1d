"""NUCC provider taxonomy and the behavioral-health scope of this directory."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Taxonomy:
    """One NUCC code."""

    code: str
    grouping: str
    classification: str
    specialization: str
    display_name: str

    @property
    def is_classification(self) -> bool:
        """True for a classification-level code (no specialization), e.g. 103T00000X."""
        return not self.specialization


@cache
def nucc() -> dict[str, Taxonomy]:
    """All NUCC codes shipped with the repo."""
    with (DATA_DIR / "nucc_provider_taxonomy.csv").open(encoding="utf-8", newline="") as f:
        return {
            r["Code"]: Taxonomy(
                r["Code"],
                r["Grouping"],
                r["Classification"],
                r["Specialization"],
                r["Display Name"] or r["Specialization"] or r["Classification"],
            )
            for r in csv.DictReader(f)
        }


@cache
def behavioral_health_codes(entity: str | None = None) -> frozenset[str]:
    """The NUCC codes in scope (entity 'individual' or 'organization', or both)."""
    path = DATA_DIR / "behavioral_health_taxonomies.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(
            r["code"] for r in csv.DictReader(f) if entity is None or r["entity"] == entity
        )


def is_behavioral_health(codes: list[str] | set[str], entity: str = "individual") -> bool:
    """True when any of `codes` is a behavioral-health taxonomy."""
    scope = behavioral_health_codes(entity)
    return any(c in scope for c in codes)


def expand_specialties(codes: list[str]) -> set[str]:
    """Codes plus, for a classification code, every specialization under it."""
    table = nucc()
    out: set[str] = set()
    for code in codes:
        out.add(code)
        parent = table.get(code)
        if parent and parent.is_classification:
            out.update(
                t.code
                for t in table.values()
                if t.grouping == parent.grouping and t.classification == parent.classification
            )
    return out


def matches_prefix(code: str, prefixes: list[str]) -> bool:
    """True when `code` starts with any prefix (vocabulary files use 4-char class prefixes)."""
    return any(code.startswith(p) for p in prefixes)
