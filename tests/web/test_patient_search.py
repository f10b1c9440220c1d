"""Patient pages through the test client: the form, results, crisis banner and errors."""

from __future__ import annotations

import re

from tests.web.seed_directory import FAR_CLINICIAN, SPANISH_SPEAKER, STALE_CLINICIAN


def _text(response) -> str:
    return response.get_data(as_text=True)


def _inputs(page: str) -> list[str]:
    """The visible form controls (not hidden inputs)."""
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
    return [c for c in controls if 'type="hidden"' not in c]


def test_form_renders_in_english(client, directory):
    response = client.get("/find")
    page = _text(response)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Feeling down, sad or hopeless" in page
    assert "Drinking or drug use" in page
    assert "Masscare HMO".lower() in page.lower()
    assert 'class="crisis-banner"' in page and 'href="tel:988"' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_every_control_has_a_label_and_groups_have_legends(client, directory):
    page = _text(client.get("/find"))
    for control in _inputs(page):
        control_id = re.search(r'id="([^"]+)"', control)
        assert control_id, f"control without id: {control}"
        assert f'for="{control_id.group(1)}"' in page, f"no label for {control_id.group(1)}"
    assert page.count("<fieldset") == page.count("<legend")
    assert page.count('type="checkbox"') > 20


def test_form_renders_in_spanish_from_accept_language(client, directory):
    page = _text(client.get("/find", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}))
    assert '<html lang="es">' in page
    assert "Sentirse deprimido, triste o sin esperanza" in page
    assert "Consumo de alcohol o drogas" in page
    assert "Buscar atención" in page
    assert "Feeling down" not in page


def test_post_returns_explained_results(search):
    response = search(concerns=["depression"])
    page = _text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert page.index(SPANISH_SPEAKER) < page.index(STALE_CLINICIAN)
    assert FAR_CLINICIAN not in page  # 36 miles away, past the default 25
    assert "Helps with: Feeling down, sad or hopeless" in page
    assert "Takes your insurance plan" in page
    assert "Listing verified 3 days ago" in page
    assert "Last verified 6 months ago: call to confirm" in page
    assert "Call to ask if they take new patients" in page
    assert 'href="tel:+16175550101"' in page
    assert "Video or phone visits" in page
    assert "0.2 mi away" in page


def test_results_in_spanish(search):
    page = _text(search(lang="es", concerns=["depression"], languages="es"))
    assert '<html lang="es">' in page
    assert "Ayuda con: Sentirse deprimido, triste o sin esperanza" in page
    assert "Habla español" in page
    assert "No indica español" in page
    assert "Ficha verificada hace 3 días" in page
    assert "a 0,2 mi" in page


def test_unmet_preferences_and_relaxations(search):
    page = _text(search(concerns=["depression"], clinician_gender="female"))
    assert "Not listed as a woman" in page
    assert "Ways to find more" in page
    assert "4 clinicians within 50 mi" in page
    wider = _text(search(concerns=["depression"], max_distance_miles="50"))
    assert FAR_CLINICIAN in wider


def test_crisis_needs_put_the_988_alert_first(search):
    page = _text(search(concerns=["suicidal_ideation"]))
    main = page[page.index('<main id="main">') :]
    assert 'class="crisis-banner crisis-urgent"' in main
    assert main.index("crisis-urgent") < main.index("<h1>")
    assert 'role="alert"' in main[: main.index("<h1>")]
    assert 'href="tel:911"' in main


def test_no_crisis_alert_for_other_needs(search):
    page = _text(search(concerns=["anxiety"]))
    assert "crisis-urgent" not in page
    assert 'class="crisis-banner"' in page  # the quiet 988 line stays on every page


def test_missing_zip_shows_accessible_errors(client, directory):
    response = client.post("/find", data={"concerns": ["depression"]})
    page = _text(response)
    assert response.status_code == 400
    summary = page[page.index('class="error-summary"') :]
    assert 'role="alert"' in summary[:200]
    assert '<a href="#postal_code">Enter your ZIP code.</a>' in summary
    field = re.search(r'<input[^>]*id="postal_code"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="postal_code-hint postal_code-error"' in field
    assert 'id="postal_code-error"' in page
    # What was ticked stays ticked.
    assert re.search(r'value="depression"\s+checked', page)


def test_errors_are_translated_and_specific(client, directory):
    headers = {"Accept-Language": "es"}
    page = _text(client.post("/find", data={"postal_code": "1234"}, headers=headers))
    assert "Escriba un código postal de 5 dígitos, como 02139." in page
    page = _text(client.post("/find", data={"postal_code": "00000"}))
    assert "We could not find that ZIP code." in page
    data = {"postal_code": "02139", "plan": "no-such-plan", "age": "200"}
    page = _text(client.post("/find", data=data))
    assert "Choose your insurance plan from the list" in page
    assert "Enter an age in years, from 0 to 130" in page
    assert "<details open>" in page  # the age field is inside "More choices"


def test_expired_form_token_shows_a_fresh_form(app, client, directory):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/find", data={"postal_code": "02139", "concerns": ["depression"]})
    assert response.status_code == 400
    assert "please fill in the search again" in _text(response)
    assert "depression" not in response.headers.get("Location", "")


def test_home_leads_to_the_search(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/find")


def test_relaxing_a_must_is_explained_in_plain_words(search):
    page = _text(
        search(concerns=["depression"], accessibility=["wheelchair"], modality="in_person")
    )
    assert "We found 2 clinicians." in page
    assert "3 clinicians if “Getting in and around” is a wish, not a must" in page
    assert "Wheelchair accessible" in page


def test_show_more_is_a_link_to_the_next_page_of_the_same_search(search, client, monkeypatch):
    from web import patient_form

    monkeypatch.setattr(patient_form, "PAGE_SIZE", 2)
    first = search(concerns=["depression"])
    page = _text(first)
    assert "We found 3 clinicians." in page and "Showing 1 to 2." in page
    results = first.request.path
    link = re.search(r'<a class="button secondary" rel="next" href="([^"]+)">Show more', page)
    assert link.group(1) == f"{results}?page=2"
    second = _text(client.get(link.group(1)))
    assert "Showing 3 to 3." in second
    main = second.split("<main")[1]
    assert STALE_CLINICIAN in main and SPANISH_SPEAKER not in main[:6000]
    assert f'href="{results}">Previous results' in second
