"""The needs form's choices in the reader's words: concerns, preferences, access, languages.

The patient search and the staff search forms offer the same choices.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.vocabulary import languages, vocabulary
from pages.languages import LOCALE_NAMES, language_name
from pages.vocabulary_text import term_text

# Competency groups in the order the form shows them.
COMPETENCY_GROUPS = {
    "identity": _l("Identity"),
    "faith": _l("Faith"),
    "race_ethnicity": _l("Race and ethnicity"),
    "culture": _l("Culture and life experience"),
    "language": _l("Language"),
    "disability": _l("Disability"),
    "approach": _l("Approach"),
}


def concern_choices(clinical: bool = False) -> list[tuple[str, str]]:
    """(code, words) for every concern in the vocabulary's order: plain, or clinical for staff."""
    return [(t.code, term_text(t, clinical)) for t in vocabulary("concerns").values()]


def competency_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group name, [(code, plain words)]) for the cultural preferences."""
    terms = vocabulary("competencies").values()
    return [
        (str(name), [(t.code, term_text(t)) for t in terms if t.extra.get("group") == group])
        for group, name in COMPETENCY_GROUPS.items()
    ]


def accessibility_choices() -> list[tuple[str, str]]:
    """(code, label) for the accessibility features."""
    return [(t.code, term_text(t)) for t in vocabulary("accessibility").values()]


def language_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The site's own languages first, then every other ISO 639-1 language, by name."""
    first = [(code, language_name(code, True)) for code in LOCALE_NAMES]
    rest = [(code, language_name(code, True)) for code in languages() if code not in LOCALE_NAMES]
    return first, sorted(rest, key=lambda pair: pair[1].casefold())
