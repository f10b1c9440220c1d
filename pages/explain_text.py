"""Why a result matches, what it lacks and what to check, in the visitor's language.

matching.explain gives each line a stable code and value beside English text; the pages build
their own words from the code and value so every line can be translated. A code this module
does not know (one patients cannot ask about) keeps matching's English text.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from directory.vocabulary import vocabulary
from matching.backend import Candidate
from matching.explain import Entry
from matching.nearest import Nearest
from matching.relaxation import Relaxation
from pages import cost
from pages.languages import language_name
from pages.vocabulary_text import term_text


def miles(value: float) -> str:
    """'2.5 mi' with the locale's decimal mark."""
    return _("%(miles)s mi", miles=format_decimal(round(value, 1), format="#,##0.#"))


def _term(vocab: str, code, clinical: bool = False) -> str:
    term = vocabulary(vocab).get(code)
    return term_text(term, clinical) if term else str(code)


def _languages(value) -> str:
    codes = value if isinstance(value, tuple | list) else (value,)
    return _(" or ").join(language_name(c) for c in codes)


def _gender(value) -> str:
    return {
        "female": _("a woman"),
        "male": _("a man"),
        "nonbinary": _("a nonbinary person"),
    }.get(value, str(value))


def _availability(value) -> str:
    return _("evenings") if value == "evening" else _("weekends")


def _concern_met(e: Entry, c: Candidate) -> str:
    # Mirrors matching.criteria: a listed condition "treats", a fitting specialty "suits".
    if e.value in c.conditions_treated:
        return _("Helps with: %(need)s", need=_term("concerns", e.value))
    return _("Trained in a field that helps with: %(need)s", need=_term("concerns", e.value))


def _concern_met_clinical(e: Entry, c: Candidate) -> str:
    # The same two cases for staff, in the clinical register.
    if e.value in c.conditions_treated:
        return _("Treats: %(need)s", need=_term("concerns", e.value, True))
    return _("Specialty suits: %(need)s", need=_term("concerns", e.value, True))


MET: dict[str, Callable[[Entry, Candidate], str]] = {
    "telehealth": lambda e, c: _("Video or phone visits, licensed in %(state)s", state=e.value),
    "transportation": lambda e, c: _("Close to home"),
    "plan": lambda e, c: _("Takes your insurance plan"),
    "age": lambda e, c: _("Sees people your age"),
    "concern": _concern_met,
    "language": lambda e, c: _("Speaks %(languages)s", languages=_languages(e.value)),
    "gender": lambda e, c: _("The clinician is %(gender)s", gender=_gender(e.value)),
    "competency": lambda e, c: _term("competencies", e.value),
    "accessibility": lambda e, c: _term("accessibility", e.value),
    "availability": lambda e, c: _("Open %(when)s", when=_availability(e.value)),
    "payment": lambda e, c: cost.payment_met(e.value, c.cost),
    "max_fee": lambda e, c: cost.fee_met(e.value, c.cost),
}

UNMET: dict[str, Callable[[Entry, Candidate], str]] = {
    "concern": lambda e, c: _("Does not list: %(need)s", need=_term("concerns", e.value)),
    "language": lambda e, c: _("Does not list %(languages)s", languages=_languages(e.value)),
    "gender": lambda e, c: _("Not listed as %(gender)s", gender=_gender(e.value)),
    "competency": lambda e, c: _("Not listed: %(what)s", what=_term("competencies", e.value)),
    "accessibility": lambda e, c: _("Not listed: %(what)s", what=_term("accessibility", e.value)),
    "availability": lambda e, c: _("Not open %(when)s", when=_availability(e.value)),
    "payment": lambda e, c: cost.payment_unmet(e.value, c.cost),
    "max_fee": lambda e, c: cost.fee_unmet(e.value, c.cost),
}

# Staff pages name concerns in the clinical register; everything else reads as for patients.
STAFF_MET = {**MET, "concern": _concern_met_clinical}
STAFF_UNMET = {
    **UNMET,
    "concern": lambda e, c: _("Does not list: %(need)s", need=_term("concerns", e.value, True)),
}

# Shown as badges instead (accepting, verified); referral capacity is for those who refer.
HIDDEN_REASONS = {"accepting", "distance"}
HIDDEN_NOTICES = {"at_capacity", "stale", "accepting_unknown", "not_accepting"}
NOTICES: dict[str, Callable[[Entry, Candidate], str]] = {
    "flagged": lambda e, c: _("Someone reported that this listing may be wrong"),
    "ages_unknown": lambda e, c: _("Ages seen are not listed"),
}


def _say(table: dict, entries, c: Candidate) -> list[str]:
    return [table[e.code](e, c) if e.code in table else e.text for e in entries]


def reasons_text(entries, c: Candidate, clinical: bool = False) -> list[str]:
    """Why this result matches (concerns in the clinical register when `clinical`)."""
    shown = [e for e in entries if e.code not in HIDDEN_REASONS]
    return _say(STAFF_MET if clinical else MET, shown, c)


def unmet_text(entries, c: Candidate, clinical: bool = False) -> list[str]:
    """Preferences this result does not meet (concerns in the clinical register when `clinical`)."""
    return _say(STAFF_UNMET if clinical else UNMET, entries, c)


def notices_text(entries, c: Candidate) -> list[str]:
    """Things to check before calling (staleness is shown with the verified date instead)."""
    return _say(NOTICES, [e for e in entries if e.code not in HIDDEN_NOTICES], c)


def relaxation_text(r: Relaxation, searched_miles: float) -> str:
    """One suggestion: how many more clinicians a single change would find."""
    n = r.count
    if r.relax == "max_distance_miles":
        return ngettext(
            "%(num)d clinician within %(distance)s",
            "%(num)d clinicians within %(distance)s",
            n,
            distance=miles(r.value),
        )
    if r.relax == "modality" and r.value == "telehealth":
        return ngettext(
            "%(num)d clinician by video or phone", "%(num)d clinicians by video or phone", n
        )
    if r.relax == "modality":
        return ngettext(
            "%(num)d clinician in person within %(distance)s",
            "%(num)d clinicians in person within %(distance)s",
            n,
            distance=miles(searched_miles),
        )
    if r.relax == "accepting_new_patients":
        return ngettext(
            "%(num)d clinician counting those not taking new patients",
            "%(num)d clinicians counting those not taking new patients",
            n,
        )
    return ngettext(
        "%(num)d clinician if “%(need)s” is a wish, not a must",
        "%(num)d clinicians if “%(need)s” is a wish, not a must",
        n,
        need=_need_name(r.relax),
    )


def _need_name(need: str) -> str:
    return {
        "accessibility": _("Getting in and around"),
        "languages": _("Language"),
        "clinician_gender": _("Clinician gender"),
        "cultural_preferences": _("Identity, faith and culture"),
        "concerns": _("What you want help with"),
        "availability": _("Evenings or weekends"),
        "payment": _("How you pay"),
        "max_fee": _("Self-pay fee"),
    }.get(need, need)


def nearest_text(found: Nearest) -> str:
    """'9 clinicians see patients in person within 100 mi; the nearest is 62 mi away.'"""
    if not found.count or found.nearest_miles is None:
        return _(
            "No clinician who fits your other answers sees patients in person within %(distance)s.",
            distance=miles(found.radius_miles),
        )
    return ngettext(
        "%(num)d clinician sees patients in person within %(distance)s; "
        "the nearest is %(nearest)s away.",
        "%(num)d clinicians see patients in person within %(distance)s; "
        "the nearest is %(nearest)s away.",
        found.count,
        distance=miles(found.radius_miles),
        nearest=miles(found.nearest_miles),
    )


def relaxation_button(r: Relaxation) -> str:
    """The words on the button that makes one suggested change."""
    if r.relax == "max_distance_miles":
        return _("Search up to %(miles)s miles", miles=int(r.value))
    if r.relax == "modality":
        return _("Include in-person and video visits")
    if r.relax == "accepting_new_patients":
        return _("Include clinicians not taking new patients")
    return _("Make “%(need)s” a wish, not a must", need=_need_name(r.relax))
