"""ICD-10-CM codes to matching terms: concerns, fitting taxonomies, social needs and crisis.

F01-F99 map to concerns through the `icd10` prefixes in concerns.json (longest prefix wins);
a well-formed F code that no concern lists falls back to its chapter block. Z55-Z65 are social
determinants of health: noted, and Z59.82 (transportation insecurity) changes the ranking.
"""

import re
from dataclasses import dataclass
from functools import cache

from directory.vocabulary import vocabulary


def N_(text: str) -> str:
    """Mark a word for the message catalogs (babel's no-op marker); staff pages translate it."""
    return text


_ICD10 = re.compile(r"^([A-Z][0-9][0-9A-Z])\.?([0-9A-Z]{1,4})?$")
# Codes that mean imminent risk even when no concern lists them (suicide attempt).
CRISIS_PREFIXES = ("T14.91",)
CRISIS_CONCERN = "suicidal_ideation"

# F-chapter blocks: (first, last, concerns, extra taxonomy prefixes). A block maps to a concern
# only when the concern names the whole block; mixed blocks map to the taxonomies that treat
# them, so F81.0 (reading disorder) is not read as autism nor F05 (delirium) as dementia.
_F_BLOCKS: tuple[tuple[int, int, tuple[str, ...], tuple[str, ...]], ...] = (
    (1, 9, (), ("2084P0805X", "103G00000X", "2084P0800X")),
    (10, 19, ("substance_use",), ()),
    (20, 29, ("psychosis",), ()),
    (30, 39, ("depression",), ()),
    (40, 48, ("anxiety",), ()),
    (50, 59, (), ("103T", "2084P0800X")),
    (60, 69, ("personality",), ()),
    (70, 79, (), ("103T", "2084P0804X", "103K00000X")),
    (80, 89, (), ("103T", "2084P0804X", "103K00000X")),
    (90, 98, (), ("2084P0804X", "103T", "106H00000X")),
    (99, 99, (), ("103T", "101Y", "2084P0800X")),
)

_SOCIAL_CATEGORIES = {
    "Z55": ("education", N_("Education and literacy problems")),
    "Z56": ("employment", N_("Employment problems")),
    "Z57": ("occupational", N_("Occupational exposure to risk factors")),
    "Z58": ("environment", N_("Problems with the physical environment")),
    "Z59": ("housing_economic", N_("Housing or economic circumstances")),
    "Z60": ("social", N_("Problems with the social environment")),
    "Z61": ("upbringing", N_("Negative life events in childhood")),
    "Z62": ("upbringing", N_("Problems related to upbringing")),
    "Z63": ("family", N_("Problems with the primary support group")),
    "Z64": ("psychosocial", N_("Psychosocial circumstances")),
    "Z65": ("psychosocial", N_("Other psychosocial circumstances")),
}
# Longest prefix first: more specific Z59 needs.
_SOCIAL_DETAIL = (
    ("Z59.82", "transportation", N_("Transportation insecurity")),
    ("Z59.86", "financial", N_("Financial insecurity")),
    ("Z59.4", "food", N_("Food insecurity")),
    ("Z59.0", "housing", N_("Homelessness")),
    ("Z59.1", "housing", N_("Inadequate housing")),
    ("Z59.81", "housing", N_("Housing instability")),
)
TRANSPORTATION = "transportation"


class DiagnosisError(ValueError):
    """A diagnosis code that is not a well-formed ICD-10-CM code."""


@dataclass(frozen=True)
class SocialNeed:
    """A social determinant noted from a Z55-Z65 code."""

    code: str
    category: str
    text: str


@dataclass(frozen=True)
class Diagnosis:
    """What one ICD-10-CM code means for matching."""

    code: str
    concerns: tuple[str, ...] = ()
    taxonomies: tuple[str, ...] = ()
    social_need: SocialNeed | None = None
    crisis: bool = False

    @property
    def used(self) -> bool:
        """False for a well-formed code that says nothing about behavioral health."""
        return bool(self.concerns or self.taxonomies or self.social_need or self.crisis)


def normalize(code: str) -> str:
    """'f329' -> 'F32.9'; DiagnosisError when not shaped like an ICD-10-CM code."""
    found = _ICD10.match(code.strip().upper()) if isinstance(code, str) else None
    if not found:
        raise DiagnosisError(f"{code!r} is not an ICD-10-CM code")
    category, detail = found.groups()
    return f"{category}.{detail}" if detail else category


@cache
def _concern_prefixes() -> tuple[tuple[str, str], ...]:
    """(icd10 prefix, concern code) from concerns.json, longest prefix first."""
    pairs = [
        (prefix, term.code)
        for term in vocabulary("concerns").values()
        for prefix in term.extra.get("icd10", [])
    ]
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[1])))


def concerns_for(code: str) -> tuple[str, ...]:
    """Concerns whose longest matching icd10 prefix covers `code` (ties keep all)."""
    hits = [(prefix, concern) for prefix, concern in _concern_prefixes() if code.startswith(prefix)]
    if not hits:
        return ()
    longest = len(hits[0][0])
    return tuple(sorted({concern for prefix, concern in hits if len(prefix) == longest}))


def _block(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    number = int(code[1:3]) if code[1:3].isdigit() else -1
    for first, last, concerns, taxonomies in _F_BLOCKS:
        if first <= number <= last:
            return concerns, taxonomies
    return (), ()


def _social_need(code: str) -> SocialNeed | None:
    for prefix, category, text in _SOCIAL_DETAIL:
        if code.startswith(prefix):
            return SocialNeed(code, category, text)
    found = _SOCIAL_CATEGORIES.get(code[:3])
    return SocialNeed(code, *found) if found else None


def _taxonomies(concerns: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    terms = vocabulary("concerns")
    found = {t for c in concerns for t in terms[c].extra.get("taxonomies", [])}
    return tuple(sorted(found | set(extra)))


def diagnose(raw: str) -> Diagnosis:
    """Map one code; DiagnosisError when malformed."""
    code = normalize(raw)
    concerns = concerns_for(code)
    extra: tuple[str, ...] = ()
    if not concerns and code.startswith("F"):
        concerns, extra = _block(code)
    if not concerns and code.startswith(CRISIS_PREFIXES):
        concerns = (CRISIS_CONCERN,)
    terms = vocabulary("concerns")
    crisis = any(terms[c].extra.get("crisis") for c in concerns)
    return Diagnosis(
        code=code,
        concerns=concerns,
        taxonomies=_taxonomies(concerns, extra),
        social_need=_social_need(code),
        crisis=crisis,
    )
