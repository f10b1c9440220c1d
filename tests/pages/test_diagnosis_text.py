"""What each ICD-10-CM code mapped to, said plainly, including what a code did not map to."""

from __future__ import annotations

import pytest

from pages.diagnosis_text import code_mappings

CODES = ["f33.1", "F41.1", "Z59.0", "E11.9", "F81.0", "Z59.82", "F43.2", "bogus"]
EXPECTED = {
    "en": [
        ("F33.1", "Depression"),
        ("F41.1", "Anxiety disorders"),
        ("Z59.0", "Homelessness: a social need, noted; not a behavioral-health concern"),
        ("E11.9", "not a behavioral-health concern (not used)"),
        ("F81.0", "no concern of its own; clinicians whose specialty treats it rank higher"),
        (
            "Z59.82",
            "Transportation insecurity: a social need; video visits and places near the patient "
            "rank higher",
        ),
        ("F43.2", "Grief and bereavement, Adjustment disorder and stress"),
        ("bogus", "not an ICD-10-CM code (not used)"),
    ],
    "es": [
        ("F33.1", "Depresión"),
        ("F41.1", "Trastornos de ansiedad"),
        (
            "Z59.0",
            "Sin hogar: una necesidad social, anotada; no es un problema de salud conductual",
        ),
        ("E11.9", "no es un problema de salud conductual (no se usa)"),
        ("F81.0", "sin problema propio en la lista; suben los clínicos cuya especialidad lo trata"),
        (
            "Z59.82",
            "Inseguridad de transporte: una necesidad social; las consultas por video y los "
            "lugares cercanos al paciente suben en la lista",
        ),
        ("F43.2", "Duelo, Trastorno de adaptación y estrés"),
        ("bogus", "no es un código CIE-10-MC (no se usa)"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_code_says_what_it_mapped_to_or_that_it_was_not_used(app, lang):
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        assert code_mappings(CODES) == EXPECTED[lang]


def test_a_code_with_a_concern_and_a_social_need_says_both(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        [(code, words)] = code_mappings(["Z63.4"])
    assert code == "Z63.4"
    assert words == (
        "Grief and bereavement; Problems with the primary support group: a social need, noted; "
        "not a behavioral-health concern"
    )


def test_no_codes_no_lines(app):
    with app.test_request_context("/"):
        assert code_mappings(None) == [] == code_mappings([])
