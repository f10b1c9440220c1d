"""The shortlist as a text and an email: both languages, the 988 line, the SMS budget."""

import pytest

from sharing.message import Entry, TooLongForText, email_message, segments, text_message

ANA = Entry("Ana Rivera", "LICSW", "(617) 555-0101", "1 Main St, Cambridge, MA 02139")
BEN = Entry("Ben Okafor", "", None, None)
BUDGET = 6  # SHORTLIST_SMS_MAX_SEGMENTS's default


def test_gsm_segments_at_the_boundaries():
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("€" * 80) == 1  # the extension table costs two septets each
    assert segments("€" * 81) == 2


def test_ucs2_segments_at_the_boundaries():
    assert segments("á" * 70) == 1
    assert segments("á" * 71) == 2
    assert segments("á" * 134) == 2
    assert segments("á" * 135) == 3


def test_text_in_english(app):
    with app.test_request_context():
        text = text_message([ANA, BEN], "en", 6)
    assert text == (
        "Your saved list:\n"
        "1. Ana Rivera, LICSW - (617) 555-0101 - 1 Main St, Cambridge, MA 02139\n"
        "2. Ben Okafor - no phone listed\n"
        "In crisis? Call or text 988 (Suicide & Crisis Lifeline) any time."
    )
    assert segments(text) == 2


def test_text_in_spanish(app):
    with app.test_request_context():
        text = text_message([ANA], "es", 6)
    assert text == (
        "Su lista guardada:\n"
        "1. Ana Rivera, LICSW - (617) 555-0101 - 1 Main St, Cambridge, MA 02139\n"
        "¿En crisis? Llame o escriba al 988 a cualquier hora. Para español, marque 2."
    )
    assert segments(text) == 2  # 166 GSM-7 characters (¿ and ñ are in its basic set); UCS-2: 3


def _five(name: str) -> list[Entry]:
    return [Entry(f"{name}{n}", "LMHC", f"(617) 555-010{n}", ANA.address) for n in range(5)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_five_with_addresses_fit_the_default_budget(app, lang):
    with app.test_request_context():
        text = text_message(_five("Clinician Number"), lang, BUDGET)
    assert text.count("1 Main St, Cambridge, MA 02139") == 5
    assert "988" in text
    assert segments(text) == 4


def test_a_name_outside_gsm_costs_ucs2_and_the_addresses_make_way(app):
    with app.test_request_context():
        text = text_message(_five("Inés Núñez"), "en", BUDGET)
    assert "1 Main St" not in text
    assert text.count("(617) 555-010") == 5
    assert text.endswith("In crisis? Call or text 988 (Suicide & Crisis Lifeline) any time.")
    assert segments(text) == 5


def test_addresses_go_first_when_the_text_would_not_fit(app):
    with app.test_request_context():
        text = text_message([ANA, BEN], "en", 1)
    assert text == (
        "Your saved list:\n"
        "1. Ana Rivera, LICSW - (617) 555-0101\n"
        "2. Ben Okafor - no phone listed\n"
        "In crisis? Call or text 988 (Suicide & Crisis Lifeline) any time."
    )
    assert segments(text) == 1


def test_a_list_that_cannot_fit_is_refused(app):
    with app.test_request_context(), pytest.raises(TooLongForText):
        text_message([ANA] * 5, "en", 1)


def test_email_in_english(app):
    with app.test_request_context():
        subject, body = email_message([ANA, BEN], "en")
    assert subject == "Your saved list of clinicians"
    assert body == (
        "Here is the list you saved in the behavioral-health directory.\n\n"
        "1. Ana Rivera, LICSW\n"
        "   Phone: (617) 555-0101\n"
        "   Address: 1 Main St, Cambridge, MA 02139\n\n"
        "2. Ben Okafor\n"
        "   No phone listed.\n\n"
        "Please call before you go: ask if they take new patients and your insurance.\n\n"
        "In crisis? Call or text 988, the Suicide & Crisis Lifeline, any time.\n"
        "It is free and private. If you are in danger right now, call 911.\n"
    )


def test_email_in_spanish(app):
    with app.test_request_context():
        subject, body = email_message([ANA], "es")
    assert subject == "Su lista guardada de profesionales"
    assert body == (
        "Esta es la lista que guardó en el directorio de salud mental.\n\n"
        "1. Ana Rivera, LICSW\n"
        "   Teléfono: (617) 555-0101\n"
        "   Dirección: 1 Main St, Cambridge, MA 02139\n\n"
        "Llame antes de ir: pregunte si aceptan pacientes nuevos y su seguro.\n\n"
        "¿En crisis? Llame o escriba al 988, la Línea de Prevención del Suicidio y Crisis, "
        "a cualquier hora. Para español, marque 2.\n"
        "Es gratis y confidencial. Si está en peligro ahora mismo, llame al 911.\n"
    )


def test_the_page_language_does_not_leak_into_the_message(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        subject, _body = email_message([ANA], "en")
    assert subject == "Your saved list of clinicians"
