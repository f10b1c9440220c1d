"""The request form's schema: consent required, phones to E.164, choices checked."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from appointments.schemas import AppointmentRequestSchema, e164

FORM = {"patient_name": " Maria Lopez ", "phone": "(617) 555-0134", "consent": "yes"}


def _load(**changes):
    form = {**FORM, **changes}
    return AppointmentRequestSchema().load({k: v for k, v in form.items() if v is not None})


def test_a_filled_form_is_cleaned():
    loaded = _load(preferred_times=["weekends", "weekends"], times_note="  ")

    assert loaded == {
        "patient_name": "Maria Lopez",
        "phone": "+16175550134",
        "email": None,
        "preferred_times": ["weekends"],
        "times_note": None,
        "language": "en",
        "location_id": None,
        "consent": True,
        "status_texts": False,
    }


@pytest.mark.parametrize("consent", [None, "", "no"])
def test_consent_missing_or_refused_is_an_error(consent):
    with pytest.raises(ValidationError) as err:
        _load(consent=consent)

    assert list(err.value.messages) == ["consent"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("617-555-0134", "+16175550134"),
        ("1 617 555 0134", "+16175550134"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phones_are_written_in_e164(typed, expected):
    assert e164(typed) == expected


@pytest.mark.parametrize("typed", ["555-0134", "017-555-0134", "call me", "+1234567"])
def test_numbers_we_cannot_call_are_refused(typed):
    with pytest.raises(ValidationError):
        e164(typed)


def test_a_bad_phone_is_reported_on_its_field():
    with pytest.raises(ValidationError) as err:
        _load(phone="555")

    assert list(err.value.messages) == ["phone"]


def test_unknown_times_and_languages_are_refused():
    with pytest.raises(ValidationError) as err:
        _load(preferred_times=["midnight"], language="xx")

    assert sorted(err.value.messages) == ["language", "preferred_times"]


def test_a_name_at_the_limit_is_kept_and_one_over_is_refused():
    assert _load(patient_name="a" * 120)["patient_name"] == "a" * 120
    with pytest.raises(ValidationError):
        _load(patient_name="a" * 121)
