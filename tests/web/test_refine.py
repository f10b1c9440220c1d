"""The refine bar on the results page: the same POST -> redirect -> GET flow, a sort, a sheet."""

from __future__ import annotations

import re

from tests.web.seed_directory import FAR_CLINICIAN, PLAN_ID, ZIP
from web.patient_form import PatientForm, needs_input, refine_hidden


def _text(response) -> str:
    return response.get_data(as_text=True)


def _names(page: str) -> list[str]:
    return re.findall(r'<h3 id="result-\d+-name">.*?<a href="[^"]+">([^<]+)</a>', page, re.S)


def _refine(page: str) -> str:
    start = page.index('<details class="refine"')
    return page[start : page.index('<details class="change-search"', start)]


def test_the_bar_sits_above_the_list_with_the_whole_search_folded_inside_it(search):
    page = _text(search(concerns=["depression"]))
    refine = _refine(page)
    assert page.index('class="refine"') < page.index('class="result-list"')
    assert page.count('class="search-form"') == 1
    assert page.index('class="refine"') < page.index('class="search-form"')
    assert "Change your search</summary>" not in page  # the old fold at the foot of the page
    for control in re.findall(r"<(?:input|select)\b[^>]*>", refine):
        if 'type="hidden"' in control:
            continue
        control_id = re.search(r'id="([^"]+)"', control).group(1)
        assert f'for="{control_id}"' in refine
    assert '<input type="hidden" name="concerns" value="depression">' in refine
    assert '<option value="best_fit" selected>Best fit</option>' in refine
    assert '<option value="masscare-hmo" selected>MassCare HMO</option>' in refine
    assert "Order: Best fit." in page


def test_sorting_by_distance_orders_cards_nearest_first(search):
    best = _text(search(concerns=["depression"], max_distance_miles="50"))
    nearest = _text(search(concerns=["depression"], max_distance_miles="50", sort="distance"))
    assert _names(best) == ["Ana Rivera", FAR_CLINICIAN, "Ben Okafor", "Carla Nguyen"]
    # Ben and Carla share a Boston address: the better fit (Carla's listing is stale) first.
    assert _names(nearest) == ["Ana Rivera", "Ben Okafor", "Carla Nguyen", FAR_CLINICIAN]
    miles = [float(m) for m in re.findall(r"<li>([\d.]+) mi away</li>", nearest)]
    assert miles == sorted(miles) and miles[-1] == 36.5
    assert "Order: Nearest first." in nearest


def test_a_refinement_is_a_new_search_address_and_the_needs_stay_out_of_urls(client, directory):
    data = {"postal_code": ZIP, "plan": PLAN_ID, "concerns": ["depression"]}
    first = client.post("/find", data=data)
    refined = client.post("/find", data={**data, "sort": "distance", "max_distance_miles": "50"})
    assert first.status_code == refined.status_code == 303
    assert first.headers["Location"] != refined.headers["Location"]
    assert "depression" not in refined.headers["Location"]
    assert "distance" not in refined.headers["Location"]
    again = _text(client.get(refined.headers["Location"]))
    assert FAR_CLINICIAN in again and "Order: Nearest first." in again


def test_a_first_opening_filter_removes_unknown_waits_and_can_be_made_a_wish(search):
    page = _text(search(concerns=["depression"], max_wait_days="14"))
    assert "We found 0 clinicians." in page
    assert '<option value="14" selected>Within 2 weeks</option>' in page
    relax = page[page.index('class="relaxations"') :]
    assert "Make “" in relax and "a wish, not a must</button>" in relax
    wish = _text(search(concerns=["depression"], max_wait_days="14", preferred=["max_wait_days"]))
    assert "We found 3 clinicians." in wish


def test_only_the_first_opening_filter_is_made_required():
    kept = needs_input(PatientForm({"postal_code": ZIP, "max_wait_days": "7"}))
    wish = needs_input(
        PatientForm({"postal_code": ZIP, "max_wait_days": "7", "preferred": ["max_wait_days"]})
    )
    plain = needs_input(PatientForm({"postal_code": ZIP}))
    assert kept["required"] == ["max_wait_days"]
    assert "required" not in wish and "required" not in plain


def test_the_bar_posts_every_answer_it_does_not_show():
    form = PatientForm(
        {
            "postal_code": ZIP,
            "concerns": ["anxiety", "depression"],
            "payment": ["medicaid", "free"],
            "plan": PLAN_ID,
            "sort": "soonest",
            "age": "30",
        }
    )
    assert refine_hidden(form) == [
        ("postal_code", ZIP),
        ("concerns", "anxiety"),
        ("concerns", "depression"),
        ("payment", "medicaid"),
        ("age", "30"),
    ]


def test_an_unknown_sort_is_refused_with_a_message(client, directory):
    data = {"postal_code": ZIP, "plan": PLAN_ID, "sort": "price"}
    response = client.post("/find", data=data)
    assert response.status_code == 400
    assert "Choose an order from the list." in _text(response)


def test_zero_results_open_the_sheet_and_link_to_the_whole_search(search):
    page = _text(search(concerns=["depression"], languages="vi", max_wait_days="7"))
    assert "We found 0 clinicians." in page
    assert '<details class="refine" id="refine" open>' in page
    assert '<details class="change-search" id="change-search" open>' in page
    assert 'href="#change-search">Change your whole search</a>' in page


def test_results_keep_the_bar_folded_for_small_screens(search):
    page = _text(search(concerns=["depression"]))
    assert '<details class="refine" id="refine" >' in page
    assert "js/refine.js" in page


def test_a_telehealth_search_still_says_the_nearest_in_person_option(search):
    page = _text(search(modality="telehealth", max_distance_miles="5"))
    assert "Carla Nguyen" in page and "Ana Rivera" in page
    nearest = page[page.index('class="nearest"') :]
    nearest = nearest[: nearest.index("</section>")]
    assert (
        "4 clinicians see patients in person within 100 mi; the nearest is 0.2 mi away." in nearest
    )
    assert "Search up to 100 miles</button>" in nearest
    assert '<input type="hidden" name="modality" value="either">' in nearest


def test_refine_words_are_spanish(search):
    page = _text(search(lang="es", concerns=["depression"], sort="distance"))
    refine = _refine(page)
    assert "Ordenar por" in refine and "Más cerca primero" in refine
    assert "Actualizar resultados" in refine
    assert "Sort by" not in refine
