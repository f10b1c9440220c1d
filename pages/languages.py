"""Language names in the reader's language, and the locales the pages have catalogs for."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale

from directory.vocabulary import languages

# Every locale with a catalog, and its name in its own language (for the switcher).
LOCALE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "ht": "Kreyòl ayisyen",
    "zh": "中文",
    "vi": "Tiếng Việt",
}
DEFAULT_LOCALE = "en"


def current_locale_code() -> str:
    """The two-letter code of the request's locale."""
    return str(get_locale() or DEFAULT_LOCALE).split("_")[0]


def language_name(code: str, capitalize: bool = False) -> str:
    """An ISO 639-1 language's name in the current locale (CLDR), else its English label."""
    name = Locale.parse(current_locale_code()).languages.get(code)
    if not name:
        term = languages().get(code)
        name = term.label if term else code
    # Spanish and others write language names in lower case inside a sentence.
    return name[:1].upper() + name[1:] if capitalize else name
