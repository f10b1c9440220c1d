"""The public programs page: a ZIP code and needs in the POST body, programs near it out."""

from tests.programs.seed import program, save


def test_the_form_offers_every_need_domain_in_spanish_too(client):
    english = client.get("/programs").get_data(as_text=True)
    spanish = client.get("/programs", headers={"Accept-Language": "es"}).get_data(as_text=True)

    assert 'name="needs" value="substance_use_treatment"' in english
    assert "Substance use treatment" in english
    assert "Tratamiento por uso de sustancias" in spanish
    assert "Busque ayuda cerca de usted" in spanish


def test_results_list_programs_nearby_with_when_they_were_checked(app, client):
    save(
        program("pantry", 1, needs=["food"], phone="555-0100"),
        program("shelter", 1, needs=["housing"]),
    )

    response = client.post("/programs", data={"postal_code": "02139", "needs": ["food"]})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "We found 1 program within 10 miles." in page
    assert "pantry organization" in page and "shelter" not in page
    assert "Last checked " in page


def test_an_unknown_zip_code_shows_the_form_again(client):
    response = client.post("/programs", data={"postal_code": "00000"})

    assert response.status_code == 400
    assert "Enter a 5-digit US ZIP code." in response.get_data(as_text=True)


def test_a_substance_use_search_lists_treatment_programs_beside_clinicians(search):
    save(program("evening iop", 1, needs=["substance_use_treatment"]))

    with_programs = search(concerns=["opioid_use"]).get_data(as_text=True)
    without = search(concerns=["depression"]).get_data(as_text=True)

    assert "Treatment programs near you" in with_programs
    assert "evening iop organization" in with_programs
    assert "Treatment programs near you" not in without
