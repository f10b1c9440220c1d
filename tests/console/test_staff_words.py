"""Staff pages speak the clinical register, say what each ICD-10-CM code mapped to, explain the
score, and the call console's suggestions are buttons that search again with one change."""

from __future__ import annotations

import re

from console.search import relaxed_by
from tests.console.conftest import PATIENT_NAME, needs
from web.i18n import LOCALE_COOKIE

MAPPED = {
    "en": ('<span class="code">F33.1</span> → Depression', "→ not a behavioral-health concern"),
    "es": (
        '<span class="code">F33.1</span> → Depresión',
        "→ no es un problema de salud conductual",
    ),
}
SCORE = {"en": "Best fit first. The score adds points", "es": "Primero el que mejor encaja."}


def test_the_pcp_form_offers_concerns_in_clinical_terms(world, signed_in):
    html = signed_in("pcp").get("/pcp/").get_data(as_text=True)
    assert 'value="opioid_use" > Opioid use disorder</label>' in html
    assert 'value="depression" > Depression</label>' in html
    assert "Feeling down" not in html


def test_patients_keep_their_own_words(client):
    html = client.get("/find").get_data(as_text=True)
    assert "Feeling down, sad or hopeless" in html
    assert "Opioid use disorder" not in html


def test_pcp_results_say_what_each_code_mapped_to_in_both_languages(world, signed_in):
    pcp = signed_in("pcp")
    for lang in ("en", "es"):
        pcp.set_cookie(LOCALE_COOKIE, lang)
        form = needs(concerns=[], diagnoses="f33.1, E11.9")
        html = pcp.post("/pcp/search", data=form).get_data(as_text=True)
        mapped, unused = MAPPED[lang]
        assert mapped in html
        assert f'<span class="code">E11.9</span> {unused}' in html
        assert ("Treats: Depression" if lang == "en" else "Trata: Depresión") in html


def test_the_console_explains_the_score_and_names_the_codes(world, signed_in):
    staff = signed_in("plan_staff")
    for lang in ("en", "es"):
        staff.set_cookie(LOCALE_COOKIE, lang)
        form = needs(concerns=[], diagnoses="F33.1")
        html = staff.post("/staff/matches", data=form).get_data(as_text=True)
        assert MAPPED[lang][0] in html
        assert SCORE[lang] in html
        assert "Helps with" not in html and "Ayuda con" not in html


def test_a_console_suggestion_is_a_button_naming_its_one_change(world, signed_in):
    staff = signed_in("plan_staff")
    html = staff.post("/staff/matches", data=needs()).get_data(as_text=True)
    found = re.findall(r'name="relax" value="([^"]+)">([^<]+)</button>', html)
    assert ("max_distance_miles:50", "Search up to 50 miles") in found


def test_the_suggestion_searches_again_and_keeps_what_was_typed(world, signed_in):
    staff = signed_in("plan_staff")
    form = {**needs(), "patient_name": PATIENT_NAME}
    narrow = staff.post("/staff/search", data=form).get_data(as_text=True)
    html = staff.post("/staff/search", data={**form, "relax": "max_distance_miles:50"})
    page = html.get_data(as_text=True)
    assert '<option value="50" selected>' in page
    assert "Frank Worcester" in page and "Frank Worcester" not in narrow
    assert f'value="{PATIENT_NAME}"' in page


def test_a_change_names_one_need_and_junk_changes_nothing():
    raw = {"postal_code": "02139", "max_distance_miles": "10", "required": ["languages"]}
    assert relaxed_by(raw, "max_distance_miles:50")["max_distance_miles"] == "50"
    assert relaxed_by(raw, "languages:preferred") == {
        "postal_code": "02139",
        "max_distance_miles": "10",
    }
    assert relaxed_by(raw, "modality:telehealth")["modality"] == "either"
    assert relaxed_by(raw, "accepting_new_patients:False")["accepting_new_patients"] is False
    assert relaxed_by(raw, "max_distance_miles:far") == raw
    assert relaxed_by(raw, "") == raw
    assert relaxed_by(raw, "payment:x") == raw


def test_the_referral_names_its_concerns_and_codes_clinically(world, sent_referral):
    html = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert '<dd id="referral-concerns">Depression</dd>' in html
    assert '<span class="code">F32.1</span> → Depression' in html
