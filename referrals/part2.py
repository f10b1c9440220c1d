"""42 CFR Part 2 by content (pure): is this referral a substance use disorder record, and why?

The rule and its code, medication and term lists are data (referrals/data/part2_rule.json,
with its sources). A caller's flag can only add Part 2, never take it away: `substance_use:
false` next to F11.20 is still Part 2.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

RULE_FILE = Path(__file__).parent / "data" / "part2_rule.json"
# An ICD-10-CM code written in free text: category F10-F19, optionally with its subcode.
_CODE_IN_TEXT = re.compile(r"(?<![0-9A-Z])(F1[0-9])(?:\.?[0-9A-Z]{1,4})?(?![0-9A-Z])")
_WORD = re.compile(r"[a-z0-9]+")
# How deep a referral's needs are walked for text (the schema caps them shallower).
_MAX_DEPTH = 6


@dataclass(frozen=True)
class Rule:
    """The classification rule as loaded from its data file."""

    categories: frozenset[str]
    medications: Mapping[str, str]  # normalized word -> generic name
    terms: tuple[str, ...]  # normalized phrases
    concerns: frozenset[str]


@dataclass(frozen=True)
class Content:
    """What a referral carries that may make it Part 2."""

    diagnoses: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    reason: str | None = None
    notes: str | None = None
    needs: Mapping = field(default_factory=dict)
    event_notes: tuple[str, ...] = ()
    checklist_notes: tuple[str, ...] = ()
    flag: bool = False


@dataclass(frozen=True)
class Finding:
    """The answer: Part 2 or not, and each match as "field:what" (e.g. "diagnoses:F11.20")."""

    part2: bool
    basis: tuple[str, ...] = ()


def words(text: str) -> str:
    """Text as ' word word ': case and accents folded, punctuation as spaces, plural s dropped."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    found = (w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(plain))
    return f" {' '.join(found)} "


@cache
def rule() -> Rule:
    """The rule from referrals/data/part2_rule.json (read once)."""
    data = json.loads(RULE_FILE.read_text(encoding="utf-8"))
    medications = {
        words(term).strip(): generic
        for generic, terms in data["medications"].items()
        for term in terms
    }
    return Rule(
        categories=frozenset(data["icd10_categories"]),
        medications=medications,
        terms=tuple(words(term).strip() for term in data["terms"]),
        concerns=frozenset(data["concerns"]),
    )


def code_category(code: str) -> str | None:
    """The Part 2 category of one ICD-10-CM code (F11.20 -> F11), or None."""
    category = code.strip().upper()[:3]
    return category if category in rule().categories else None


def text_hits(text: str | None) -> list[str]:
    """What in free text names a substance use disorder: codes, medications, condition words."""
    if not text:
        return []
    hits = [m.group(0) for m in _CODE_IN_TEXT.finditer(text.upper()) if code_category(m.group(1))]
    padded = words(text)
    current = rule()
    hits += [generic for term, generic in current.medications.items() if f" {term} " in padded]
    hits += [term for term in current.terms if f" {term} " in padded]
    return hits


def _strings(value, depth: int = 0) -> Iterator[str]:
    """Every string inside a JSON-like value (dict keys too), down to a fixed depth."""
    if isinstance(value, str):
        yield value
    elif depth < _MAX_DEPTH and isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item, depth + 1)
    elif depth < _MAX_DEPTH and isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, depth + 1)


def _needs_hits(needs: Mapping) -> list[str]:
    concerns = needs.get("concerns")
    hits = [c for c in concerns or () if isinstance(c, str) and c in rule().concerns]
    return hits + [hit for text in _strings(needs) for hit in text_hits(text)]


def _field_hits(content: Content) -> Iterator[tuple[str, Iterable[str]]]:
    yield "diagnoses", [code for code in content.diagnoses if code_category(code)]
    for name in ("medications", "conditions", "event_notes", "checklist_notes"):
        yield name, [hit for text in getattr(content, name) for hit in text_hits(text)]
    yield "reason", text_hits(content.reason)
    yield "notes", text_hits(content.notes)
    yield "needs", _needs_hits(content.needs or {})


def classify(content: Content) -> Finding:
    """Part 2 when any field names a substance use disorder, or the caller says so."""
    basis = {f"{name}:{hit}" for name, hits in _field_hits(content) for hit in hits}
    if content.flag:
        basis.add("flag")
    return Finding(part2=bool(basis), basis=tuple(sorted(basis)))
