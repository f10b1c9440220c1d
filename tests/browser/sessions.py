"""Signed-in browser pages for the staff pages' end-to-end tests (one copy, every test file)."""

from __future__ import annotations

from tests.browser.test_referral_flow import sign_in


def open_signed_in(tab, live_server, email: str, size: str, lang: str):
    """A page of `size` signed in as `email` through the real form, in Spanish when lang is es."""
    page = tab(size)
    sign_in(page, live_server, email)
    if lang == "es":
        page.context.add_cookies([{"name": "lang", "value": "es", "url": live_server.url("/")}])
    return page
