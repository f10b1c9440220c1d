"""People's names as they are written, from files that shout them ("MARY O'NEIL-MCDONALD")."""

from __future__ import annotations

import re
from functools import lru_cache

# Roman-numeral generational suffixes stay upper case (Smith III).
_NUMERALS = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
# "Mac" is a prefix only in these (Mack, Macy, Machado are not Mac-names); "Mc" always is.
_MAC_NAMES = frozenset(
    {
        "MACARTHUR", "MACAULAY", "MACDONALD", "MACDOUGALL", "MACFARLANE", "MACGREGOR",
        "MACINNES", "MACINTYRE", "MACKAY", "MACKENZIE", "MACKINNON", "MACLAREN", "MACLEAN",
        "MACLEOD", "MACMILLAN", "MACNEIL", "MACPHERSON", "MACRAE",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"([\s\-']+)")


def _part(word: str) -> str:
    """One piece between spaces, hyphens and apostrophes."""
    upper = word.upper()
    if upper in _NUMERALS:
        return upper
    if upper.startswith("MC") and len(upper) > 3:
        return "Mc" + upper[2:].capitalize()
    if upper in _MAC_NAMES:
        return "Mac" + upper[3:].capitalize()
    return word.capitalize()


@lru_cache(maxsize=4096)  # first names, prefixes and suffixes repeat across a file's rows
def person_name(value: str | None) -> str | None:
    """Title case for a name written all in one case; a name already in mixed case is kept."""
    if value and value.isalpha() and (value.isupper() or value.islower()):
        return _part(value)  # one plain word, as most are: no split (NPPES has millions)
    if not value or (value != value.upper() and value != value.lower()):
        return value
    pieces = _SEPARATORS.split(value.strip())
    return "".join(p if _SEPARATORS.fullmatch(p) else _part(p) for p in pieces if p)
