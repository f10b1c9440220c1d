"""Answers posted by a page form (q1..qN): each missing or wrong answer named by its item."""

from screening.definitions import instruments
from screening.form import MISSING, NOT_AN_ANSWER, field_name, read_answers
from screening.guidance import SAFETY_GUIDANCE, guidance_for

AHC = instruments()["ahc_hrsn"]


def posted(*values: str) -> dict:
    return {field_name(n): v for n, v in enumerate(values, start=1)}


def test_every_item_answered_gives_the_answers_in_item_order():
    found = read_answers(AHC, posted("2", "7", "1", "0", "1", "2", "1", "2", "3", "5"))

    assert found.complete
    assert found.answers == (2, 7, 1, 0, 1, 2, 1, 2, 3, 5)
    assert found.problems == {}


def test_missing_and_unknown_answers_are_named_by_position():
    found = read_answers(AHC, posted("0", "", "3", "0", "x", "0", "0", "1", "1", "6"))

    assert not found.complete
    assert found.answers == ()
    # Item 3 (food) takes 0-2; item 7 (safety) takes 1-5 and not 0; item 10 not 6.
    assert found.problems == {
        2: MISSING,
        3: NOT_AN_ANSWER,
        5: NOT_AN_ANSWER,
        7: NOT_AN_ANSWER,
        10: NOT_AN_ANSWER,
    }
    assert found.given["q3"] == "3" and "q2" not in found.given


def test_an_absent_field_is_missing_and_an_overlong_value_is_wrong_not_read_short():
    found = read_answers(AHC, {"q1": "00000000001"})

    assert found.problems[1] == NOT_AN_ANSWER
    assert found.given["q1"] == "0000"
    assert set(found.problems) == set(range(1, 11))


def test_the_ahc_questions_and_answers_carry_spanish():
    for item in AHC.items:
        assert item.text_in("es") != item.text
        assert all(o.display_in("es") for o in item.options)
    assert AHC.items[0].text_in("es") == "¿Cuál es su situación de vivienda hoy?"
    assert AHC.items[4].options[1].display_in("es") == "Sí"
    assert AHC.items[0].text_in("vi") == "What is your living situation today?"


def test_safety_guidance_names_the_hotline_its_text_line_and_988():
    resources = SAFETY_GUIDANCE["resources"]

    assert resources[0] == {
        "name": "National Domestic Violence Hotline",
        "phone": "1-800-799-7233",
        "text": "88788",
        "text_word": "START",
    }
    assert [r["phone"] for r in resources] == ["1-800-799-7233", "988", "911"]
    assert "text START to 88788" in SAFETY_GUIDANCE["message"]
    assert [g["flag"] for g in guidance_for(("crisis", "safety_first"))] == [
        "crisis",
        "safety_first",
    ]
