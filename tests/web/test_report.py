"""Report a problem from a public listing: no sign-in, no health questions, CSRF, rate limit."""

import pytest
from sqlalchemy import select

from corrections.models import CorrectionItem
from directory.extensions import db
from directory.models import Clinician
from tests.web.seed_directory import PLAN_ID, SPANISH_SPEAKER, ZIP


def _npi(name: str) -> str:
    last = name.split()[-1]
    return db.session.scalar(select(Clinician.npi).where(Clinician.last_name == last))


def test_every_result_card_links_to_report_a_problem(client, directory):
    found = client.post("/find", data={"postal_code": ZIP, "plan": PLAN_ID}, follow_redirects=True)
    page = found.get_data(as_text=True)

    npi = _npi(SPANISH_SPEAKER)
    assert f"/clinicians/{npi}/report" in page
    assert page.count("Report a problem with this listing") == page.count('class="result"')


def test_the_form_asks_no_health_questions_and_says_so(client, directory):
    response = client.get(f"/clinicians/{_npi(SPANISH_SPEAKER)}/report")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Do not include health information" in page
    assert 'maxlength="500"' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_a_visitor_reports_without_signing_in(client, directory):
    npi = _npi(SPANISH_SPEAKER)

    response = client.post(
        f"/clinicians/{npi}/report", data={"problem": "wrong_phone", "details": "A fax line"}
    )

    assert response.status_code == 200
    assert "We will check this listing within 2 business days" in response.get_data(as_text=True)
    item = db.session.scalars(select(CorrectionItem)).one()
    assert (item.problem, item.details, item.filed_by) == ("wrong_phone", "A fax line", "anonymous")


def test_a_report_without_a_problem_or_for_no_listing_is_refused(client, directory):
    npi = _npi(SPANISH_SPEAKER)

    assert client.post(f"/clinicians/{npi}/report", data={"details": "?"}).status_code == 400
    assert client.post("/clinicians/1234567893/report", data={"problem": "moved"}).status_code == (
        404
    )
    assert client.get("/clinicians/1234567893/report").status_code == 404
    assert db.session.scalars(select(CorrectionItem)).all() == []


def test_the_form_needs_its_csrf_token(app, client, directory):
    app.config["WTF_CSRF_ENABLED"] = True

    response = client.post(f"/clinicians/{_npi(SPANISH_SPEAKER)}/report", data={"problem": "moved"})

    assert response.status_code == 400
    assert db.session.scalars(select(CorrectionItem)).all() == []


@pytest.fixture
def limited(limited_client, directory):
    """An app with limits on: two reports per address per hour."""
    return limited_client(
        PROBLEM_REPORT_RATE_LIMIT="2/hour",
    )


def test_reports_from_one_address_are_rate_limited(limited):
    path = f"/clinicians/{_npi(SPANISH_SPEAKER)}/report"

    def send(address: str) -> int:
        return limited.post(
            path, data={"problem": "moved"}, environ_base={"REMOTE_ADDR": address}
        ).status_code

    assert [send("192.0.2.1") for _ in range(3)] == [200, 200, 429]
    assert send("192.0.2.2") == 200
    # Reading the form is never limited.
    assert limited.get(path, environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200


def test_crisis_words_in_the_details_put_the_urgent_988_block_first(client, directory):
    npi = _npi(SPANISH_SPEAKER)
    details = "Nobody answers and I might overdose tonight"

    page = client.post(
        f"/clinicians/{npi}/report", data={"problem": "other", "details": details}
    ).get_data(as_text=True)

    assert 'class="crisis-banner crisis-urgent"' in page
    assert page.index("get help now") < page.index("Report a problem with this listing</h1>")


def test_crisis_words_in_spanish_show_the_block_in_spanish(client, directory):
    npi = _npi(SPANISH_SPEAKER)

    page = client.post(
        f"/clinicians/{npi}/report",
        data={"problem": "other", "details": "Pienso en AUTOLESIÓN"},
        headers={"Accept-Language": "es"},
    ).get_data(as_text=True)

    assert 'class="crisis-banner crisis-urgent"' in page
    assert '<html lang="es">' in page


def test_harmless_details_show_no_urgent_block(client, directory):
    npi = _npi(SPANISH_SPEAKER)

    page = client.post(
        f"/clinicians/{npi}/report", data={"problem": "other", "details": "harmless typo"}
    ).get_data(as_text=True)

    assert "crisis-urgent" not in page
