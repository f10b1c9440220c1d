"""Crisis words in free text (pure): phrases that escalate like suicidal ideation does.

The phrases are data (matching/data/crisis_words.json, English and Spanish, with the reason
negations still escalate). Matching is whole-word after folding case and accents, so
"harmless" is not "harm" and "AUTOLESIÓN" is "autolesion".
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "crisis_words.json"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class CrisisWord:
    """One table entry: the phrase as written, its language and the concern it signals."""

    lang: str
    phrase: str
    concern: str

    @property
    def folded(self) -> str:
        """The phrase as ' word word ', the form text is searched in."""
        return folded(self.phrase)


def folded(text: str) -> str:
    """Text as ' word word ': case and accents folded, everything else a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f" {' '.join(_WORD.findall(plain))} "


@cache
def crisis_words() -> tuple[CrisisWord, ...]:
    """Every entry of the table (read once)."""
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return tuple(CrisisWord(**entry) for entry in data["entries"])


def crisis_matches(*texts: str | None) -> tuple[CrisisWord, ...]:
    """The entries any of `texts` contains as whole words (empty when none)."""
    haystack = "".join(folded(text) for text in texts if text)
    return tuple(word for word in crisis_words() if word.folded in haystack)


def mentions_crisis(*texts: str | None) -> bool:
    """True when any of `texts` contains a crisis phrase."""
    return bool(crisis_matches(*texts))
