"""Concern words by register: patient wording on patient pages, clinical terms on staff pages."""

from __future__ import annotations

import io
import json

import pytest

from directory.vocabulary import vocabulary
from matching.backend import Candidate
from matching.explain import Entry
from pages.explain_text import reasons_text, unmet_text
from pages.needs_choices import concern_choices
from pages.vocabulary_text import concern_names, extract_vocabulary, term_text


@pytest.fixture(params=["en", "es"])
def lang(app, request):
    """Babel reads the locale from a request; one in English, one in Spanish."""
    with app.test_request_context("/", headers={"Accept-Language": request.param}):
        yield request.param


CLINICAL = {
    "en": ("Depression", "Anxiety disorders", "Opioid use disorder"),
    "es": ("Depresión", "Trastornos de ansiedad", "Trastorno por consumo de opioides"),
}
PLAIN = {
    "en": ("Feeling down, sad or hopeless", "Worry, nerves or panic"),
    "es": ("Sentirse deprimido, triste o sin esperanza", "Preocupación, nervios o pánico"),
}


def test_every_concern_has_a_clinical_label_in_the_same_table():
    terms = vocabulary("concerns").values()
    assert all(t.extra.get("clinical") for t in terms)
    opioids = vocabulary("concerns")["opioid_use"].extra
    assert opioids["clinical"] == "Opioid use disorder"
    assert opioids["plain"] == "Using opioids, pain pills or heroin"


def test_staff_see_the_clinical_register_and_patients_their_own_words(lang):
    terms = vocabulary("concerns")
    depression, anxiety, opioids = CLINICAL[lang]
    assert term_text(terms["depression"], clinical=True) == depression
    assert term_text(terms["anxiety"], clinical=True) == anxiety
    assert term_text(terms["opioid_use"], clinical=True) == opioids
    assert term_text(terms["depression"]) == PLAIN[lang][0]
    assert term_text(terms["anxiety"]) == PLAIN[lang][1]


def test_the_form_choices_follow_the_register(lang):
    staff, patient = dict(concern_choices(clinical=True)), dict(concern_choices())
    assert staff["depression"] == CLINICAL[lang][0]
    assert patient["depression"] == PLAIN[lang][0]
    assert list(staff) == list(patient) == list(vocabulary("concerns"))


def test_stored_concerns_are_named_clinically_and_junk_is_not_read(lang):
    assert concern_names(["opioid_use", "made_up"]) == [CLINICAL[lang][2], "made_up"]
    assert concern_names("depression") == []  # a string is not a list of codes
    assert concern_names(None) == []


def _candidate(**kw) -> Candidate:
    base = {"clinician_id": 1, "npi": "1234567893", "name": "Ana Rivera", "visit": "in_person"}
    return Candidate(**{**base, **kw})


REASONS = {
    "en": ("Treats: Depression", "Specialty suits: Anxiety disorders", "Does not list: Depression"),
    "es": (
        "Trata: Depresión",
        "Su especialidad abarca: Trastornos de ansiedad",
        "No lo indica: Depresión",
    ),
}


def test_staff_reasons_name_concerns_clinically_patient_reasons_do_not(lang):
    treats = _candidate(conditions_treated=frozenset({"depression"}))
    entries = [Entry("concern", "Treats depression", "depression")]
    treated, suited, missing = REASONS[lang]
    assert reasons_text(entries, treats, clinical=True) == [treated]
    anxious = [Entry("concern", "Specialty suits anxiety", "anxiety")]
    assert reasons_text(anxious, treats, clinical=True) == [suited]
    assert unmet_text(entries, _candidate(), clinical=True) == [missing]
    assert PLAIN[lang][0] in reasons_text(entries, treats)[0]


def test_the_catalogs_get_both_registers_of_a_concern():
    line = {"code": "depression", "label": "Depression", "clinical": "Depression", "plain": "Down"}
    found = list(extract_vocabulary(io.BytesIO(json.dumps([line]).encode()), [], [], {}))
    assert [message for _line, _f, message, _c in found] == ["Down", "Depression"]
