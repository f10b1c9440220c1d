"""The public social-needs self-screen: answers in, needs and programs nearby out, nothing kept."""

import logging
import re

from sqlalchemy import func, select

from audit.models import AuditEvent
from screening.models import ScreeningResult
from tests.programs.seed import program, save

NO_NEEDS = ["0", "0", "0", "0", "0", "0", "1", "1", "1", "1"]
SAFETY_AT_ELEVEN = ["0", "0", "0", "0", "0", "0", "5", "3", "2", "1"]  # 5+3+2+1 = 11 > 10
SAFETY_AT_TEN = ["0", "0", "0", "0", "0", "0", "4", "3", "2", "1"]


def answers(values: list[str], postal_code: str = "02139") -> dict:
    """The self-screen form: q1..q10 in item order and the ZIP code."""
    return {**{f"q{n}": v for n, v in enumerate(values, start=1)}, "postal_code": postal_code}


def with_(values: list[str], **changes: str) -> list[str]:
    """`values` with q<n>=answer changes."""
    found = list(values)
    for name, value in changes.items():
        found[int(name[1:]) - 1] = value
    return found


def test_the_form_asks_the_ten_questions_and_says_nothing_is_kept(client):
    html = client.get("/social-needs").get_data(as_text=True)

    assert html.count('class="screening-item"') == 10
    assert "1. What is your living situation today?" in html
    assert "We do not keep your answers or your ZIP code, and we do not ask your name." in html
    assert 'name="q10" value="5"' in html


def test_the_form_in_spanish(client):
    html = client.get("/social-needs", headers={"Accept-Language": "es"}).get_data(as_text=True)

    assert "Vea qué ayuda le podría servir" in html
    assert "1. ¿Cuál es su situación de vivienda hoy?" in html
    assert "Tengo un lugar estable para vivir" in html
    assert "No guardamos sus respuestas ni su código postal" in html


def test_each_need_found_lists_the_programs_nearby_for_it(app, client):
    save(
        program("pantry", 1, needs=["food"]),
        program("far pantry", 30, needs=["food"]),
        program("bus pass", 2, needs=["transportation"]),
        program("shelter", 3, needs=["housing"]),
    )
    values = with_(NO_NEEDS, q3="1", q5="1")

    response = client.post("/social-needs", data=answers(values))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Needs found: <strong>Food</strong>, <strong>Transportation</strong>" in html
    assert html.index('id="need-food"') < html.index("pantry organization")
    assert html.index("pantry organization") < html.index('id="need-transportation"')
    assert "bus pass organization" in html
    assert "far pantry" not in html and "shelter organization" not in html
    assert '<input type="hidden" name="needs" value="food">' in html
    assert '<input type="hidden" name="needs" value="transportation">' in html
    assert 'id="safety-first"' not in html


def test_a_safety_total_of_11_shows_the_hotline_before_anything_else(app, client):
    save(program("pantry", 1, needs=["food"]))

    response = client.post("/social-needs", data=answers(with_(SAFETY_AT_ELEVEN, q3="2")))

    html = response.get_data(as_text=True)
    main = html[html.index('<main id="main">') :]
    assert main.index('id="safety-first"') < main.index("<h1>")
    assert "call 1-800-799-7233" in main
    assert '<a href="sms:88788?body=START">Text START to 88788</a>' in main
    assert "Call or text 988" in main
    assert main.index('id="need-safety"') < main.index('id="need-food"')


def test_a_safety_total_of_10_is_not_positive(client):
    html = client.post("/social-needs", data=answers(SAFETY_AT_TEN)).get_data(as_text=True)

    assert 'id="safety-first"' not in html
    assert "No social needs found in these answers." in html


def test_safety_first_in_spanish(client):
    response = client.post(
        "/social-needs", data=answers(SAFETY_AT_ELEVEN), headers={"Accept-Language": "es"}
    )

    html = response.get_data(as_text=True)
    assert html.index("Su seguridad es lo primero") < html.index("<h1>")
    assert "llame al 1-800-799-7233" in html
    assert "Envíe START por mensaje de texto al 88788" in html
    assert "Necesidades encontradas: <strong>Seguridad personal</strong>" in html


def test_missing_and_out_of_range_answers_name_their_questions(client):
    values = with_(NO_NEEDS, q2="", q7="9")

    response = client.post("/social-needs", data=answers(values, postal_code="0213"))

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a 5-digit US ZIP code." in html
    assert (
        "Question 2 (Think about the place you live. Do you have problems with any of the "
        "following?): choose an answer." in html
    )
    assert (
        "Question 7 (How often does anyone, including family and friends, physically hurt "
        "you?): 9 is not one of its answers." in html
    )
    assert 'name="q1" value="0" checked' in html


def test_errors_name_the_question_in_spanish(client):
    response = client.post(
        "/social-needs",
        data=answers(with_(NO_NEEDS, q5="")),
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 400
    assert (
        "Pregunta 5 (En los últimos 12 meses, ¿la falta de transporte confiable le ha impedido"
        in response.get_data(as_text=True)
    )


def test_nothing_is_stored_audited_or_logged(db, client, caplog):
    caplog.set_level(logging.DEBUG)

    client.post("/social-needs", data=answers(with_(SAFETY_AT_ELEVEN, q1="2"), "02139"))

    assert db.session.scalar(select(func.count()).select_from(ScreeningResult)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    # The ZIP as a number of its own (a timing's or an id's digits may hold "02139").
    assert re.search(r"(?<!\d)02139(?!\d)", caplog.text) is None


def test_the_programs_page_offers_the_self_screen(client):
    english = client.get("/programs").get_data(as_text=True)
    spanish = client.get("/programs", headers={"Accept-Language": "es"}).get_data(as_text=True)

    assert '<a href="/social-needs">Not sure what to look for?' in english
    assert '<a href="/social-needs">¿No sabe qué buscar?' in spanish
