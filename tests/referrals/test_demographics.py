"""Optional, self-reported demographics: the categories, age bands, ZIP county types, input."""

from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from console.referral_form import referral_body
from directory.county_types import county_type
from directory.extensions import db
from referrals.demographics import (
    RACE_ETHNICITY_CODES,
    age_band,
    race_ethnicity_key,
    race_ethnicity_problem,
)
from referrals.models import RaceEthnicity, Referral
from referrals.schemas import PatientSchema
from tests.referrals.world import PATIENT, build_world, referral_payload, signed_in


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2013, 3, 4), "0-11"),  # 11 the day before the 12th birthday
        (date(2013, 3, 3), "12-17"),  # 12 on the day
        (date(2007, 3, 4), "12-17"),
        (date(2007, 3, 3), "18-25"),
        (date(1999, 3, 4), "18-25"),
        (date(1999, 3, 3), "26-44"),
        (date(1980, 3, 3), "45-64"),
        (date(1960, 3, 4), "45-64"),
        (date(1960, 3, 3), "65+"),
        (date(2025, 3, 3), "0-11"),  # born that day
    ],
)
def test_age_bands_turn_on_the_birthday(born, band):
    assert age_band(born, date(2025, 3, 3)) == band


def test_a_leap_day_birthday_turns_on_the_first_of_march():
    assert age_band(date(2008, 2, 29), date(2026, 2, 28)) == "12-17"
    assert age_band(date(2008, 2, 29), date(2026, 3, 1)) == "18-25"


def test_race_and_ethnicity_keys_count_a_patient_once():
    assert race_ethnicity_key([]) == "unknown"
    assert race_ethnicity_key(["asian"]) == "asian"
    assert race_ethnicity_key(["asian", "hispanic_or_latino"]) == "multiple"
    assert race_ethnicity_key(["prefer_not_to_answer"]) == "prefer_not_to_answer"


def test_prefer_not_to_answer_stands_alone_and_each_category_once():
    assert race_ethnicity_problem(["white", "asian"]) is None
    assert race_ethnicity_problem(["white", "prefer_not_to_answer"]) is not None
    assert race_ethnicity_problem(["white", "white"]) is not None
    assert len(RACE_ETHNICITY_CODES) == 8


@pytest.mark.parametrize(
    ("postal", "designation"),
    [
        ("02139", "Large Metro"),  # Cambridge, Middlesex County MA
        ("01001", "Metro"),  # Agawam, Hampden County MA
        ("59001", "CEAC"),  # Absarokee, Stillwater County MT
        ("02139-4307", "Large Metro"),
        ("99999", None),
        ("abc", None),
        (None, None),
    ],
)
def test_county_type_of_a_zip(postal, designation):
    assert county_type(postal) == designation


def test_the_patient_schema_takes_demographics_or_none():
    plain = PatientSchema().load(dict(PATIENT))
    assert plain["race_ethnicity"] == [] and plain["postal_code"] is None
    given = PatientSchema().load(
        {**PATIENT, "postal_code": "02139-4307", "race_ethnicity": ["white", "asian"]}
    )
    assert given["postal_code"] == "02139" and given["race_ethnicity"] == ["white", "asian"]


def test_the_form_sends_checked_categories_and_the_zip():
    form = MultiDict(
        [("patient_name", "A B"), ("patient_postal_code", "59001"),
         ("patient_race_ethnicity", "asian"), ("patient_race_ethnicity", "white")]
    )  # fmt: skip
    patient = referral_body(form, {})["patient"]
    assert patient["race_ethnicity"] == ["asian", "white"] and patient["postal_code"] == "59001"
    assert (
        "race_ethnicity" not in referral_body(MultiDict([("patient_name", "A B")]), {})["patient"]
    )


@pytest.fixture
def pcp(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    world = build_world()
    return world, signed_in(app, "pcp", world.pcp_org)


def test_a_referral_without_demographics_is_made(pcp):
    world, client = pcp
    created = client.post("/api/v1/referrals", json=referral_payload(world))
    assert created.status_code == 201, created.get_data(as_text=True)
    referral = db.session.get(Referral, created.get_json()["id"])
    assert referral.patient_postal_code is None and referral.race_ethnicity == []


def test_a_referral_keeps_the_categories_chosen(pcp):
    world, client = pcp
    patient = {**PATIENT, "postal_code": "59001", "race_ethnicity": ["white", "asian"]}
    created = client.post("/api/v1/referrals", json=referral_payload(world, patient=patient))
    assert created.status_code == 201, created.get_data(as_text=True)
    rid = created.get_json()["id"]
    rows = db.session.scalars(
        select(RaceEthnicity.category).where(RaceEthnicity.referral_id == rid)
    )
    assert sorted(rows) == ["asian", "white"]
    assert db.session.get(Referral, rid).patient_postal_code == "59001"


@pytest.mark.parametrize(
    "extra",
    [
        {"race_ethnicity": ["white", "prefer_not_to_answer"]},
        {"race_ethnicity": ["martian"]},
        {"race_ethnicity": ["asian", "asian"]},
        {"postal_code": "ABCDE"},
    ],
)
def test_bad_demographics_are_a_400(pcp, extra):
    world, client = pcp
    patient = {**PATIENT, **extra}
    answer = client.post("/api/v1/referrals", json=referral_payload(world, patient=patient))
    assert answer.status_code == 400
    assert db.session.scalar(select(Referral.id)) is None
