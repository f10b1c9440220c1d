"""The clinician's corrections are parsed once: vocabulary codes only, bounded text and times."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from corrections.self_report_schemas import (
    MAX_LANGUAGES,
    LanguagesSchema,
    PlaceSchema,
    PracticeSchema,
    weekly_rows,
)

PLACE = {"line1": "1 Main St", "city": "Cambridge", "state": "MA", "postal_code": "02139"}


def _refused(schema, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def test_unknown_codes_are_refused_naming_them():
    assert _refused(PracticeSchema(), {"approaches": ["cbt", "astrology"]}) == {
        "approaches": ["not in the approaches list: astrology"]
    }
    assert _refused(PracticeSchema(), {"competencies": {"martians": "trained"}}) == {
        "competencies": ["not in the competencies list: martians"]
    }
    assert "competencies" in _refused(PracticeSchema(), {"competencies": {"veterans": "rumour"}})
    assert "accessibility" in _refused(PlaceSchema(), {**PLACE, "accessibility": ["moat"]})
    edit = PracticeSchema().load({"approaches": ["dbt", "cbt", "dbt"]})
    assert edit.approaches == ("cbt", "dbt") and edit.competencies == {}


def test_languages_at_most_twelve_once_each_with_a_listed_fluency():
    codes = ["en", "es", "pt", "fr", "de", "it", "vi", "zh", "ht", "ar", "ru", "ko", "ja"]
    rows = [{"code": code} for code in codes]
    assert len(LanguagesSchema().load({"languages": rows[:MAX_LANGUAGES]})) == 12
    assert "languages" in _refused(LanguagesSchema(), {"languages": rows[: MAX_LANGUAGES + 1]})
    assert "languages" in _refused(LanguagesSchema(), {"languages": [{"code": "es"}] * 2})
    refused = {"languages": [{"code": "es", "proficiency": "fluent-ish"}]}
    assert "languages" in _refused(LanguagesSchema(), refused)
    given = {"languages": [{"code": "es", "proficiency": "native"}, {"code": "en"}]}
    assert LanguagesSchema().load(given) == {"es": "native", "en": None}


def test_address_fields_are_bounded_and_the_state_and_zip_real():
    assert PlaceSchema().load({**PLACE, "line1": "x" * 200}).line1 == "x" * 200
    assert "line1" in _refused(PlaceSchema(), {**PLACE, "line1": "x" * 201})
    assert "line1" in _refused(PlaceSchema(), {**PLACE, "line1": "   "})
    assert PlaceSchema().load({**PLACE, "state": " pr "}).state == "PR"
    assert "state" in _refused(PlaceSchema(), {**PLACE, "state": "ZZ"})
    for wrong in ("2139", "02139-1234", "021390"):
        assert "postal_code" in _refused(PlaceSchema(), {**PLACE, "postal_code": wrong})


def test_phones_are_ten_us_digits():
    assert PlaceSchema().load({**PLACE, "phone": "+1 (617) 555-0100"}).phone == "6175550100"
    assert PlaceSchema().load({**PLACE, "phone": ""}).phone is None
    for wrong in ("555-0100", "(017) 555-0100", "61755501000"):
        assert "phone" in _refused(PlaceSchema(), {**PLACE, "phone": wrong})


def test_hours_need_both_times_closing_after_opening():
    fine = PlaceSchema().load({**PLACE, "hours": {"sun": {"opens": "00:00", "closes": "23:59"}}})
    assert fine.hours == ({"days": ["sun"], "opens": "00:00", "closes": "23:59"},)
    for times in (
        {"opens": "09:00", "closes": "09:00"},
        {"opens": "09:00", "closes": None},
        {"opens": "09:00", "closes": "24:00"},
    ):
        assert "hours" in _refused(PlaceSchema(), {**PLACE, "hours": {"mon": times}})
    assert "hours" in _refused(PlaceSchema(), {**PLACE, "hours": {"someday": {}}})


def test_days_with_the_same_times_share_a_row_in_week_order():
    days = {
        "sat": {"opens": "10:00", "closes": "14:00"},
        "mon": {"opens": "09:00", "closes": "17:00"},
        "fri": {"opens": "09:00", "closes": "17:00"},
    }
    assert weekly_rows(days) == (
        {"days": ["mon", "fri"], "opens": "09:00", "closes": "17:00"},
        {"days": ["sat"], "opens": "10:00", "closes": "14:00"},
    )
