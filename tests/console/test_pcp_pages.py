"""PCP pages: needs form, comparison, one-flow referral with consent and checklist (My referrals
and a referral's page: test_pcp_referral_pages.py)."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from directory.cost import Cost
from directory.cost_facts import set_cost
from directory.models import Clinician
from referrals.models import Referral
from tests.console.conftest import PATIENT_NAME, ZIP, audit_actions, needs, referral_form
from tests.programs.seed import program, save
from web.i18n import LOCALE_COOKIE


def test_the_needs_form_ranks_matches_and_maps_icd10_codes(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/search", data=needs(concerns=[], diagnoses="F32.1, z59.82")).get_data(
        as_text=True
    )
    assert "Ana Rivera" in html and "Ben Okafor" in html
    # In the plan's network and within 25 miles only: Dev is Bay State, Frank is in Worcester.
    assert "Dev Patel" not in html and "Frank Worcester" not in html
    assert 'value="F32.1, Z59.82"' in html
    assert html.index("Ana Rivera") < html.index("Ben Okafor")


def test_the_results_say_what_the_score_adds_up_in_english_and_spanish(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    hint = '<p class="hint" id="score-explained">Best fit first. The score adds points for fit'
    assert hint in html
    assert html.index('id="results-heading"') < html.index(hint) < html.index("Score ")
    pcp.set_cookie(LOCALE_COOKIE, "es")
    spanish = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    assert "Primero el que mejor encaja. La puntuación suma puntos" in spanish


def test_a_bad_icd10_code_or_zip_is_reported_by_field(world, signed_in):
    pcp = signed_in("pcp")
    response = pcp.post("/pcp/search", data=needs(diagnoses="NOTACODE", postal_code="00000"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not ICD-10-CM codes: NOTACODE" in html
    assert "unknown ZIP code" in html


def test_a_crisis_code_puts_988_first(world, signed_in):
    html = (
        signed_in("pcp").post("/pcp/search", data=needs(diagnoses="R45.851")).get_data(as_text=True)
    )
    assert 'role="alert"' in html and "tel:988" in html
    assert html.index("tel:988") < html.index("Ana Rivera")


def test_compare_shows_the_chosen_matches_side_by_side(world, signed_in):
    pcp = signed_in("pcp")
    picked = [world.ana.npi, world.ben.npi]
    html = pcp.post("/pcp/compare", data={**needs(), "compare": picked}).get_data(as_text=True)
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert "Ana Rivera" in header and "Ben Okafor" in header
    assert "Carla Nguyen" not in header
    for row in ("New patients", "Next opening", "Languages", "Plans", "Why it matches"):
        assert row in html
    assert f'value="{world.ana.npi}:' in html  # a Refer button per column


def test_compare_needs_two_to_four(world, signed_in):
    response = signed_in("pcp").post("/pcp/compare", data={**needs(), "compare": [world.ana.npi]})
    assert response.status_code == 400
    assert "Choose two to four clinicians" in response.get_data(as_text=True)


def test_the_referral_form_is_prefilled_from_the_match_and_needs(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post(
        "/pcp/refer", data={**needs(diagnoses="F32.1"), "choice": f"{world.ana.npi}:"}
    ).get_data(as_text=True)
    assert "Refer to Ana Rivera, LICSW" in html
    assert (
        'name="consent_recipient_npi" type="text" inputmode="numeric" value="' + world.ana.npi
        in html
    )
    assert 'name="referral_diagnoses" type="text" autocomplete="off" value="F32.1"' in html
    assert 'name="postal_code" value="02139"' in html  # the needs ride along, hidden


def test_the_referral_form_offers_preferred_languages_from_a_list(world, signed_in):
    pcp = signed_in("pcp")
    choice = {**needs(), "choice": f"{world.ana.npi}:", "patient_preferred_language": "es"}
    html = pcp.post("/pcp/refer", data=choice).get_data(as_text=True)
    start = html.index('<select id="patient_preferred_language"')
    field = html[start : html.index("</select>", start)]
    assert '<option value="" >Not stated</option>' in field
    assert '<option value="es" selected>Spanish</option>' in field
    assert field.index('value="en"') < field.index('value="es"') < field.index('value="fr"')
    assert "ISO code" not in html


def test_sending_creates_ticks_sends_and_audits_in_one_step(db, world, sent_referral):
    referral = db.session.get(Referral, sent_referral.id)
    assert referral.status == "sent"
    assert referral.clinician_id == world.ana.id and referral.plan_id == world.plan
    assert referral.diagnoses == ["F32.1"]
    assert referral.needs["postal_code"] == "02139"
    assert referral.consent.recipients == [{"name": "Ana Rivera", "npi": world.ana.npi}]
    done = {row.item for row in referral.checklist if row.done}
    assert done == {"consent_on_file", "clinical_info_sent", "benefits_explained"}
    assert ("create", "ok") in audit_actions(db) and ("event:send", "ok") in audit_actions(db)
    assert audit_actions(db, "consent") == [("create", "ok")]


def test_emergent_urgency_answers_with_crisis_guidance_and_makes_no_referral(db, world, signed_in):
    response = signed_in("pcp").post(
        "/pcp/referrals", data=referral_form(world.ana, urgency="emergent")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "connect the patient with crisis care now" in html and "tel:988" in html
    assert db.session.scalars(select(Referral)).all() == []
    assert audit_actions(db) == [("create", "invalid")]


def test_a_substance_use_referral_without_a_part2_consent_is_blocked(db, world, signed_in):
    form = referral_form(world.ana, substance_use="1", consent_form_type="")
    response = signed_in("pcp").post("/pcp/referrals", data=form)
    assert response.status_code == 422
    assert "42 CFR part 2 consent" in response.get_data(as_text=True)  # the gate's own words
    assert db.session.scalars(select(Referral)).all() == []
    assert audit_actions(db) == [("create", "blocked")]


def test_missing_patient_fields_keep_what_was_typed(db, world, signed_in):
    response = signed_in("pcp").post(
        "/pcp/referrals", data=referral_form(world.ana, patient_birth_date="", reason="")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'value="{PATIENT_NAME}"' in html
    assert 'id="patient_birth_date" name="patient_birth_date" type="date"' in html
    assert html.count('aria-invalid="true"') >= 2


def test_a_substance_use_search_shows_treatment_programs_beside_clinicians(world, signed_in):
    save(program("methadone clinic", 1, needs=["substance_use_treatment"]))
    pcp = signed_in("pcp")

    about_drinking = pcp.post("/pcp/search", data=needs(concerns=["alcohol_use"]))
    about_mood = pcp.post("/pcp/search", data=needs())

    assert "Substance-use treatment programs nearby" in about_drinking.get_data(as_text=True)
    assert "methadone clinic organization" in about_drinking.get_data(as_text=True)
    assert "Substance-use treatment programs nearby" not in about_mood.get_data(as_text=True)


def _said_cost(db, clinician_id, cost):
    set_cost(db.session.get(Clinician, clinician_id), cost, "self_reported")
    db.session.commit()


def test_pcp_search_filters_on_payment_and_shows_cost_with_its_source(db, world, signed_in):
    _said_cost(db, world.ana.id, Cost(medicaid=True, fee_min=70, fee_max=140))
    pcp = signed_in("pcp")
    form = needs(concerns=[], payment=["medicaid"], required=["payment"])
    html = pcp.post("/pcp/search", data=form).get_data(as_text=True)
    assert "Ana Rivera" in html and "Ben Okafor" not in html
    assert "Cost: Takes Medicaid · Self-pay $70-$140 a session" in html
    assert "Takes Medicaid: yes (from the clinician&#39;s own listing, today)." in html
    assert 'name="payment" value="medicaid" checked' in html

    html = pcp.post("/pcp/search", data=needs(concerns=[], max_fee="60")).get_data(as_text=True)
    assert "Self-pay fee not known (you asked for $60 or less)" in html
    assert "Self-pay $70-$140 a session (you asked for $60 or less)" in html
    assert "Cost: Cost not known: ask about fees and insurance." in html


def test_the_call_console_shows_cost_on_every_match(db, world, signed_in):
    _said_cost(db, world.ana.id, Cost(sliding_scale=True))
    staff = signed_in("plan_staff")
    fragment = staff.post("/staff/matches", data=needs(payment=["uninsured"])).get_data(
        as_text=True
    )
    assert "Cost: Sliding scale" in fragment
    assert "Takes patients without insurance (self-pay)" in fragment


def test_every_pcp_match_links_to_the_clinician_profile(world, signed_in):
    html = signed_in("pcp").post("/pcp/search", data=needs()).get_data(as_text=True)
    cards = html.count('<p class="profile-link">')
    assert cards == html.count('<h3 id="match-') and cards >= 2
    assert f'<a href="/clinicians/{world.ana.npi}" target="_blank" rel="noopener"' in html


def test_after_a_search_the_needs_fold_away_and_the_results_take_focus(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    folded = '<details class="change-search" id="change-search"><summary>Change search</summary>'
    assert folded in html
    assert '<h2 id="results-heading" tabindex="-1">' in html
    assert 'role="status" aria-live="polite" data-said="3 results"' in html
    assert html.count("console/results_focus.js") == 1
    empty = pcp.get("/pcp/").get_data(as_text=True)
    assert "change-search" not in empty and "results_focus.js" not in empty


def test_the_needs_stay_open_when_nothing_matches_or_a_field_is_wrong(world, signed_in):
    pcp = signed_in("pcp")
    none = pcp.post("/pcp/search", data=needs(languages=["hi"], required=["languages"])).get_data(
        as_text=True
    )
    assert '<details class="change-search" id="change-search" open>' in none
    assert 'data-said="0 results"' in none
    wrong = pcp.post("/pcp/search", data=needs(postal_code="00000")).get_data(as_text=True)
    assert "change-search" not in wrong and "results_focus.js" not in wrong


def _form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    start = html.index(f'id="{form_id}"')
    form = html[start : html.index("</form>", start)]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)


def test_each_suggestion_is_a_button_that_searches_with_that_one_change(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    button = '<button type="submit" class="secondary" form="relax-1">Search up to 50 miles</button>'
    assert "4 clinicians within 50 mi" in html and button in html
    fields = _form_fields(html, "relax-1")
    assert [pair for pair in fields if pair[0] != "csrf_token"] == [
        ("postal_code", ZIP),
        ("plan", "masscare-hmo"),
        ("concerns", "depression"),
        ("max_distance_miles", "50"),
    ]
    wider = pcp.post("/pcp/search", data=MultiDict(fields)).get_data(as_text=True)
    assert '<h2 id="results-heading" tabindex="-1">4 matches</h2>' in wider
    assert "Include in-person and video visits" in html
    assert ("modality", "either") in _form_fields(html, "relax-3")


def test_a_suggestion_button_is_in_spanish_for_a_spanish_reader(world, signed_in):
    pcp = signed_in("pcp")
    pcp.set_cookie(LOCALE_COOKIE, "es")
    html = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    assert 'form="relax-1">Buscar hasta 50 millas</button>' in html
    assert "<summary>Cambiar la búsqueda</summary>" in html
    assert 'data-said="3 resultados"' in html
