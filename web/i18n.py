"""Page languages: Flask-Babel set-up and the locale of each request.

The locale is the visitor's explicit choice (a cookie set by POST /language), else the best
match in Accept-Language, else English. Only WEB_LOCALES are offered; catalogs also exist for
the "ready" locales, whose untranslated strings fall back to English one by one.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_babel import Babel, refresh

from accounts.sessions import safe_next
from pages.languages import DEFAULT_LOCALE, LOCALE_NAMES, current_locale_code, language_name

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
# Locales whose catalog translates every message (tests/web/test_catalogs.py holds them to it).
COMPLETE_LOCALES = ("en", "es")
# BCP 47 tags for <html lang> where the bare code is ambiguous (the catalog is Simplified).
HTML_LANG = {"zh": "zh-Hans"}
LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()
language_blueprint = Blueprint("language", __name__)


def offered_locales() -> list[str]:
    """The configured WEB_LOCALES that have a catalog, English always first."""
    wanted = [code.strip() for code in current_app.config.get("WEB_LOCALES", ["en"])]
    offered = [code for code in wanted if code in LOCALE_NAMES and code != DEFAULT_LOCALE]
    return [DEFAULT_LOCALE, *offered]


def select_locale() -> str:
    """The cookie's choice when offered, else the best Accept-Language match, else English."""
    offered = offered_locales()
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or DEFAULT_LOCALE


def html_lang() -> str:
    """The value for <html lang> (and lang= on anything in another language)."""
    code = current_locale_code()
    return HTML_LANG.get(code, code)


def _template_context() -> dict:
    return {
        "html_lang": html_lang(),
        "locale_code": current_locale_code(),
        "locale_choices": [(code, LOCALE_NAMES[code]) for code in offered_locales()],
        "language_name": language_name,
    }


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel with our catalogs and locale selector; expose the layout context."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale in `g`; requests served inside one app context (the test
    # client under a pushed context) would otherwise keep the first request's language.
    app.before_request(refresh)
    app.context_processor(_template_context)


@language_blueprint.post("/language")
def choose_language():
    """Remember the visitor's language in a cookie and go back to the page they were on."""
    code = request.form.get("lang", "")
    target = safe_next(request.form.get("next")) or url_for("patients.find")
    response = redirect(target, 303)
    if code in offered_locales():
        response.set_cookie(
            LOCALE_COOKIE,
            code,
            max_age=LOCALE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response
