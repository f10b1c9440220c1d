"""What each ICD-10-CM code did to a search, in the clinical register staff check it against.

"F33.1 → Depression", "Z59.0 → Homelessness: a social need, noted; not a behavioral-health
concern", "E11.9 → not a behavioral-health concern (not used)": the mapping itself is
matching.diagnoses; these are only its words.
"""

from __future__ import annotations

from flask_babel import gettext as _

from directory.vocabulary import vocabulary
from matching.diagnoses import TRANSPORTATION, Diagnosis, DiagnosisError, diagnose
from pages.vocabulary_text import term_text


def _concerns(found: Diagnosis) -> str:
    terms = vocabulary("concerns")
    return ", ".join(term_text(terms[code], clinical=True) for code in found.concerns)


def _social(found: Diagnosis) -> str:
    need = found.social_need
    if need.category == TRANSPORTATION:
        return _(
            "%(need)s: a social need; video visits and places near the patient rank higher",
            need=_(need.text),
        )
    return _("%(need)s: a social need, noted; not a behavioral-health concern", need=_(need.text))


def mapping_text(found: Diagnosis) -> str:
    """What one parsed code maps to, or plainly that it maps to nothing the search uses."""
    said = []
    if found.concerns:
        said.append(_concerns(found))
    elif found.taxonomies:
        said.append(_("no concern of its own; clinicians whose specialty treats it rank higher"))
    if found.social_need:
        said.append(_social(found))
    return "; ".join(said) or _("not a behavioral-health concern (not used)")


def code_mappings(codes) -> list[tuple[str, str]]:
    """(code as normalized, what it maps to) for each code typed, in the order typed."""
    shown = []
    for code in codes or ():
        try:
            found = diagnose(code)
        except DiagnosisError:
            shown.append((code, _("not an ICD-10-CM code (not used)")))
            continue
        shown.append((found.code, mapping_text(found)))
    return shown
