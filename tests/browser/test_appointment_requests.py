"""Request a call back on a profile, then handle it in the clinician's inbox: Chromium at
390 px and 1366 px, English and Spanish, axe-core clean, no request leaving the origin."""

from __future__ import annotations

import re
import uuid

import pytest

from accounts.users import create_user
from directory.extensions import db
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD, sign_in

WORDS = {
    "en": {"name": "Your name", "phone": "Phone number to call", "evenings": "Weekday evenings",
           "consent": "I agree that this office may call me", "send": "Send request",
           "fix": "We can only call you if you agree to be contacted.",
           "sent": "Your request was sent", "inbox": "Call-back requests",
           "contacted": "Mark contacted", "saved": "Saved: Contacted.",
           "first": "business hours after the request"},
    "es": {"name": "Su nombre", "phone": "Número de teléfono para llamarle",
           "evenings": "Noches entre semana", "consent": "Acepto que este consultorio me llame",
           "send": "Enviar solicitud", "fix": "Solo podemos llamarle si acepta que le contacten.",
           "sent": "Su solicitud fue enviada", "inbox": "Pedidos de llamada",
           "contacted": "Marcar como contactado", "saved": "Guardado: Contactado.",
           "first": "horas hábiles después de la solicitud"},
}  # fmt: skip
CASES = [(size, lang) for size in VIEWPORTS for lang in WORDS]


@pytest.fixture(scope="module")
def ana_user(live_server) -> str:
    """A clinician user acting for Ana Rivera."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(
            f"ana-a-{run}@example.org", "clinician", f"Harbor {run}", PASSWORD, ANA_NPI
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _language(page, lang: str) -> None:
    if lang == "es":
        page.get_by_role("button", name="Español").click()
        page.wait_for_load_state()


def _fits(page, size: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]


def _request_call_back(page, lang: str, patient: str, refused) -> None:
    """Fill the profile's form, send it without consent, then with it."""
    words = WORDS[lang]
    form = page.locator("form.appointment-form")
    form.get_by_label(words["name"]).fill(patient)
    form.get_by_label(words["phone"]).fill("617-555-0134")
    form.get_by_label(words["evenings"]).check()
    form.get_by_role("button", name=words["send"]).click()
    # No consent: the form comes back with what to fix and the name kept.
    page.wait_for_load_state()
    assert words["fix"] in page.locator(".error-summary").inner_text()
    assert page.get_by_label(words["name"]).input_value() == patient
    refused()
    page.get_by_label(words["consent"]).check()
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_request_on_the_profile_and_answer_in_the_inbox(
    live_server, tab, ana_user, axe_check, screenshot, size, lang
):
    words, patient = WORDS[lang], f"Maria {uuid.uuid4().hex[:6]}"
    page = tab(size)
    page.goto(live_server.url(f"/clinicians/{ANA_NPI}"))
    _language(page, lang)
    axe_check(page, f"appointment-form-{size}-{lang}")
    _fits(page, size)
    name = f"appointment-422-{size}-{lang}"
    _request_call_back(page, lang, patient, lambda: screenshot(page, name))
    assert page.get_by_role("heading", level=1).inner_text() == words["sent"]
    assert page.url == live_server.url(f"/clinicians/{ANA_NPI}/appointment/sent")
    assert page.locator('a[href="tel:988"]').first.is_visible()
    axe_check(page, f"appointment-sent-{size}-{lang}")
    _fits(page, size)
    screenshot(page, f"appointment-sent-{size}-{lang}")

    staff = tab(size)
    sign_in(staff, live_server, ana_user)
    staff.goto(live_server.url("/clinician/appointments"))
    _language(staff, lang)
    assert staff.get_by_role("heading", level=1).inner_text() == words["inbox"]
    card = staff.locator(".request-card", has_text=patient)
    assert "+16175550134" in card.inner_text()
    axe_check(staff, f"appointment-inbox-{size}-{lang}")
    _fits(staff, size)
    card.get_by_role("button", name=words["contacted"]).click()
    staff.wait_for_url(re.compile(r"/clinician/appointments$"))
    assert words["saved"] in staff.locator("main").inner_text()
    assert words["first"] in staff.locator(".request-card", has_text=patient).inner_text()
    screenshot(staff, f"appointment-inbox-{size}-{lang}")
