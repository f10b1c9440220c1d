"""Controlled vocabularies shipped as data files (directory/data/vocabularies)."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
VOCABULARY_NAMES = (
    "concerns",
    "approaches",
    "competencies",
    "age_groups",
    "modalities",
    "accessibility",
    "credentials",
)
COMPETENCY_PROVENANCES = ("self_reported", "trained", "lived_experience")
LANGUAGE_PROFICIENCIES = (
    "elementary",
    "limited_working",
    "professional_working",
    "full_professional",
    "native",
)
GENDERS = ("female", "male", "nonbinary", "other")


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a code, its label, and whatever else the file gives."""

    code: str
    label: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@cache
def vocabulary(name: str) -> dict[str, Term]:
    """The terms of vocabulary `name`, by code, in file order."""
    if name not in VOCABULARY_NAMES:
        raise KeyError(f"unknown vocabulary {name!r}")
    entries = json.loads((DATA_DIR / "vocabularies" / f"{name}.json").read_text("utf-8"))
    return {
        e["code"]: Term(
            e["code"], e["label"], {k: v for k, v in e.items() if k not in ("code", "label")}
        )
        for e in entries
    }


@cache
def languages() -> dict[str, Term]:
    """ISO 639-1 languages by two-letter code."""
    entries = json.loads((DATA_DIR / "iso639_1_languages.json").read_text("utf-8"))
    return {e["code"]: Term(e["code"], e["label"], {"label_es": e["label_es"]}) for e in entries}


def unknown_codes(name: str, codes: list[str]) -> list[str]:
    """The codes in `codes` that vocabulary `name` does not define."""
    known = languages() if name == "languages" else vocabulary(name)
    return [c for c in codes if c not in known]


def age_groups_for(age: int) -> list[str]:
    """The age-group codes that contain `age`."""
    return [
        t.code
        for t in vocabulary("age_groups").values()
        if t.extra["min_age"] <= age <= t.extra["max_age"]
    ]


def normalize_credential(text: str) -> str | None:
    """Map free text like 'Ph.D.' or 'psyd' to a credential code, or None."""
    squashed = "".join(ch for ch in text.upper() if ch.isalnum())
    for code in vocabulary("credentials"):
        if squashed == code.upper():
            return code
    return None
