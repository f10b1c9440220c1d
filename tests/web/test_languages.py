"""Locale choice: the visitor's explicit choice, then Accept-Language, then English."""

from __future__ import annotations

import pytest

from web.i18n import COMPLETE_LOCALES, LOCALE_NAMES, TRANSLATIONS_DIR


def _lang(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<html lang=") + 12 :].split('"')[0]


def test_english_by_default(client):
    assert _lang(client.get("/find")) == "en"
    assert _lang(client.get("/find", headers={"Accept-Language": "fr, de;q=0.5"})) == "en"


def test_choice_in_cookie_beats_accept_language(client):
    response = client.post("/language", data={"lang": "es", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=es;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert _lang(client.get("/find", headers={"Accept-Language": "en"})) == "es"
    client.post("/language", data={"lang": "en", "next": "/find"})
    assert _lang(client.get("/find", headers={"Accept-Language": "es"})) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil"])
def test_language_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target})
    assert response.headers["Location"] == "/find"


def test_unknown_or_unoffered_language_is_ignored(client):
    response = client.post("/language", data={"lang": "pt", "next": "/find"})
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
    assert _lang(client.get("/find", headers={"Accept-Language": "pt-BR"})) == "en"


def test_ready_locale_when_offered_falls_back_to_english_per_string(app, client):
    app.config["WEB_LOCALES"] = ["en", "es", "pt", "zh"]
    assert _lang(client.get("/find", headers={"Accept-Language": "pt-BR,pt"})) == "pt"
    page = client.get("/find", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "Feeling down, sad or hopeless" in page  # not yet translated: English, not blank
    assert ">Português</button>" in page


def test_switcher_offers_only_configured_languages(client):
    page = client.get("/find").get_data(as_text=True)
    assert ">Español</button>" in page
    assert 'aria-current="true">English</span>' in page
    assert "Português" not in page.split("<main")[0]


def test_every_declared_locale_has_a_catalog():
    for code in LOCALE_NAMES:
        if code == "en":
            continue
        assert (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").is_file(), code
        assert (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.mo").is_file(), code
    assert set(COMPLETE_LOCALES) <= set(LOCALE_NAMES)
