"""The send request: an email address as typed, a phone number in E.164, nothing else."""

import pytest
from marshmallow import ValidationError

from sharing.send import SendRequest, SendSchema, offered_channels


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("(617) 555-0123", "+16175550123"),
        ("617.555.0123", "+16175550123"),
        ("+1 617 555 0123", "+16175550123"),
        ("+52 55 1234 5678", "+525512345678"),
    ],
)
def test_a_phone_number_is_normalised(typed, number):
    assert SendSchema().load({"channel": "sms", "destination": typed}) == SendRequest("sms", number)


def test_an_email_address_is_kept_as_typed_without_spaces():
    loaded = SendSchema().load({"channel": "email", "destination": " pat@example.org "})
    assert loaded == SendRequest("email", "pat@example.org")


@pytest.mark.parametrize(
    "data",
    [
        {"channel": "sms", "destination": "555-0123"},
        {"channel": "sms", "destination": "pat@example.org"},
        {"channel": "email", "destination": "(617) 555-0123"},
        {"channel": "webhook", "destination": "https://example.org/"},
        {"channel": "email", "destination": "a" * 250 + "@x.org"},
        {"channel": "email"},
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(ValidationError):
        SendSchema().load(data)


def test_the_channels_offered_follow_the_settings():
    assert offered_channels({}) == ()
    assert offered_channels({"MAIL_ENABLED": True, "SMS_PROVIDER": "none"}) == ("email",)
    assert offered_channels({"SMS_PROVIDER": "twilio"}) == ("sms",)
    assert offered_channels({"MAIL_ENABLED": True, "SMS_PROVIDER": "twilio"}) == ("email", "sms")
