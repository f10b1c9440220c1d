"""Results at /find/results/<opaque id>: reload, the language switch and expiry; no dead ends."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Clinician, Location
from matching.saved_searches import SavedSearch
from tests.web.seed_directory import FAR_CLINICIAN, PLAN_ID, SPANISH_SPEAKER, ZIP

RESULTS = re.compile(r"/find/results/[A-Za-z0-9_-]{43}")


def _text(response) -> str:
    return response.get_data(as_text=True)


def _post(client, **fields):
    return client.post("/find", data={"postal_code": ZIP, "plan": PLAN_ID, **fields})


def test_a_search_redirects_to_an_opaque_results_address(client, directory):
    response = _post(client, concerns=["depression", "suicidal_ideation"])
    assert response.status_code == 303
    address = response.headers["Location"]
    assert RESULTS.fullmatch(address)
    first = client.get(address)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert "We found 3 clinicians." in _text(first)
    again = client.get(address)  # reload: the same search, nothing resubmitted
    assert _text(again).count('class="result"') == 3


def test_the_language_switch_keeps_the_search(client, directory):
    address = _post(client, concerns=["depression"]).headers["Location"]
    switched = client.post("/language", data={"lang": "es", "next": address})
    assert switched.status_code == 303
    assert switched.headers["Location"] == address
    page = _text(client.get(address))
    assert '<html lang="es">' in page
    assert "Encontramos 3 profesionales." in page
    assert SPANISH_SPEAKER in page


def test_the_language_switcher_on_a_later_page_returns_to_that_page(client, directory):
    address = _post(client, concerns=["depression"]).headers["Location"]
    page = _text(client.get(f"{address}?page=2"))
    assert f'<input type="hidden" name="next" value="{address}?page=2">' in page


def test_an_expired_search_offers_a_new_one(app, client, directory):
    app.config["SEARCH_RESULTS_MINUTES"] = 0  # expires the moment it is kept
    address = _post(client, concerns=["depression"]).headers["Location"]
    response = client.get(address)
    page = _text(response)
    assert response.status_code == 410
    assert "That search has ended: we keep a search for a short while only." in page
    assert 'class="search-form"' in page
    assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == 0


def test_an_unknown_id_gets_the_same_friendly_page(client, directory):
    response = client.get("/find/results/" + "A" * 43)
    assert response.status_code == 410
    assert "That search has ended" in _text(response)


def test_a_page_number_we_do_not_serve_shows_the_first_page(client, directory):
    address = _post(client, concerns=["depression"]).headers["Location"]
    for bad in ("0", "abc", "501"):
        assert "Showing 1 to 3." in _text(client.get(f"{address}?page={bad}"))


def _only_worcester_is_accessible() -> None:
    for place in db.session.scalars(select(Location)):
        place.accessibility = ["wheelchair"] if place.city == "Worcester" else []
    db.session.commit()


def test_zero_results_say_the_nearest_in_person_option(search):
    _only_worcester_is_accessible()
    response = search(accessibility=["wheelchair"], modality="in_person", max_distance_miles="5")
    page = _text(response)
    assert "We found 0 clinicians." in page
    assert "1 clinician sees patients in person within 100 mi; the nearest is 36.5 mi away." in page
    nearest = page[page.index('class="nearest"') :]
    assert "Search up to 100 miles</button>" in nearest[: nearest.index("</section>")]
    wider = search(accessibility=["wheelchair"], modality="in_person", max_distance_miles="100")
    assert FAR_CLINICIAN in _text(wider)


def test_zero_results_with_nobody_in_reach_say_so(search):
    for place in db.session.scalars(select(Location)):
        place.accessibility = []
    db.session.commit()
    page = _text(search(accessibility=["wheelchair"], modality="in_person"))
    assert "No clinician who fits your other answers sees patients in person within 100 mi." in page


def test_every_suggestion_is_a_button_that_makes_the_change(search, client):
    _only_worcester_is_accessible()
    page = _text(search(accessibility=["wheelchair"], modality="in_person"))
    relax = page[page.index('class="relaxations"') :]
    relax = relax[: relax.index("</section>")]
    assert relax.count("<li>") == relax.count("<button") == 4
    assert "1 clinician within 50 mi" in relax and "Search up to 50 miles</button>" in relax
    assert "Make “Getting in and around” a wish, not a must</button>" in relax
    assert "Include in-person and video visits</button>" in relax
    button = relax.index("a wish, not a must</button>")
    form = relax[relax.rindex("<form", 0, button) : button]
    assert '<input type="hidden" name="preferred" value="accessibility">' in form
    data = {"postal_code": ZIP, "plan": PLAN_ID, "accessibility": ["wheelchair"],
            "modality": "in_person", "preferred": ["accessibility"]}  # fmt: skip
    relaxed = _text(client.post("/find", data=data, follow_redirects=True))
    assert "We found 3 clinicians." in relaxed


def test_include_clinicians_not_taking_new_patients(search, client):
    ben = db.session.scalars(select(Clinician).where(Clinician.last_name == "Okafor")).one()
    ben.accepting_new_patients = False
    db.session.commit()
    needs = {"accessibility": ["wheelchair"], "modality": "in_person"}
    page = _text(search(**needs))
    assert "We found 1 clinician." in page and "Ben Okafor" not in page
    relax = page[page.index('class="relaxations"') :]
    assert "2 clinicians counting those not taking new patients" in relax
    button = relax.index("Include clinicians not taking new patients</button>")
    form = relax[relax.rindex("<form", 0, button) : button]
    assert '<input type="hidden" name="accepting_new_patients" value="false">' in form
    everyone = _text(search(**needs, accepting_new_patients="false"))
    assert "We found 2 clinicians." in everyone and "Ben Okafor" in everyone


def test_the_nearest_option_adds_no_second_button_for_a_suggested_radius(search):
    _only_worcester_is_accessible()
    page = _text(
        search(accessibility=["wheelchair"], modality="in_person", max_distance_miles="25")
    )
    assert "the nearest is 36.5 mi away." in page
    assert page.count("Search up to 100 miles</button>") == 1
    nearest = page[page.index('class="nearest"') :]
    assert "<button" not in nearest[: nearest.index("</section>")]
