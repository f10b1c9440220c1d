"""No record of who searched for what: needs never in URLs, logs or the session, kept briefly."""

from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from directory.extensions import db
from matching.saved_searches import SavedSearch
from tests.web.seed_directory import ZIP

SENSITIVE = ["suicidal_ideation", "substance_use", "depression"]
SENSITIVE_WORDS = ["Thoughts of ending my life", "Drinking or drug use", "Feeling down"]


def _row_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def _urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', page)


def test_every_form_on_patient_pages_posts(search, client):
    for page in (client.get("/find").get_data(as_text=True), search(concerns=SENSITIVE).text):
        methods = re.findall(r'<form\b[^>]*\bmethod="([^"]+)"', page)
        assert methods and all(m == "post" for m in methods)
        assert len(methods) == page.count("<form")


def test_needs_never_appear_in_any_url(search):
    response = search(concerns=SENSITIVE, accessibility=["wheelchair"], modality="in_person")
    page = response.get_data(as_text=True)
    assert "Ways to find more" in page  # relaxation forms re-post the needs...
    for url in _urls(page):
        for code in SENSITIVE:
            assert code not in url, url
        assert "concerns" not in url
    assert response.history[0].status_code == 303  # the POST redirected to the results
    assert re.fullmatch(r"/find/results/[A-Za-z0-9_-]{43}", response.request.path)
    # ...as hidden fields in POST bodies only.
    assert re.search(r'<input type="hidden" name="concerns" value="suicidal_ideation">', page)


def test_language_switch_redirect_carries_no_needs(client, directory):
    response = client.post("/language", data={"lang": "es", "next": "/find"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/find"


def test_search_keeps_one_expiring_row_and_nothing_in_the_session(search, client):
    before = _row_counts()
    response = search(concerns=SENSITIVE)
    after = _row_counts()
    assert after["saved_search"] == before["saved_search"] + 1
    assert {k: v for k, v in after.items() if k != "saved_search"} == {
        k: v for k, v in before.items() if k != "saved_search"
    }
    row = db.session.scalars(select(SavedSearch)).one()
    token = response.request.path.rsplit("/", 1)[1]
    assert token not in repr((row.digest, row.answers))  # only the id's digest is stored
    with client.session_transaction() as session:
        stored = repr(dict(session))
    for code in SENSITIVE:
        assert code not in stored
    cookies = " ".join(f"{c.key}={c.value}" for c in client._cookies.values())
    for code in SENSITIVE:
        assert code not in cookies


def test_logs_never_contain_the_needs(search, caplog):
    caplog.set_level(logging.DEBUG)
    search(concerns=SENSITIVE, languages="pt", clinician_gender="female")
    search(concerns=SENSITIVE, postal_code="1234")  # the error path too
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for secret in [*SENSITIVE, *SENSITIVE_WORDS]:
        assert secret not in logged
    # The ZIP as a number of its own: a timing's digits (0.0021395960...) are not the ZIP.
    assert re.search(rf"(?<!\d){ZIP}(?!\d)", logged) is None
