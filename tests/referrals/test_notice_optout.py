"""Stop links, address keys and Twilio signatures (pure)."""

from datetime import UTC, datetime, timedelta

from referrals.notice_optout import (
    address_key,
    e164,
    inbound_word,
    read_stop_token,
    signed_by_twilio,
    stop_token,
    twilio_signature,
)

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def test_a_stop_link_names_the_referral_until_its_expiry_and_not_a_second_after():
    token = stop_token("s3cret", 42, NOW, 90)
    assert token.startswith(f"42.{int((NOW + timedelta(days=90)).timestamp())}.")
    assert read_stop_token("s3cret", token, NOW).referral_id == 42
    assert read_stop_token("s3cret", token, NOW + timedelta(days=90)).referral_id == 42
    assert read_stop_token("s3cret", token, NOW + timedelta(days=90, seconds=1)) is None


def test_a_stop_link_signed_with_another_secret_or_changed_is_refused():
    token = stop_token("s3cret", 42, NOW, 90)
    assert read_stop_token("other", token, NOW) is None
    forged = "43" + token[2:]
    assert read_stop_token("s3cret", forged, NOW) is None
    assert read_stop_token("s3cret", "not-a-token", NOW) is None
    assert read_stop_token("s3cret", "", NOW) is None


def test_phones_are_keyed_in_e164_and_addresses_without_case():
    assert e164("617-555-0142") == "+16175550142"
    assert e164("+1 (617) 555-0142") == "+16175550142"
    assert e164("555") is None
    assert e164(None) is None
    assert address_key("k", "email", "Maria@Example.org ") == address_key(
        "k", "email", "maria@example.org"
    )
    assert address_key("k", "sms", "+16175550142") != address_key("k", "email", "+16175550142")
    assert len(address_key("k", "sms", "+16175550142")) == 64


def test_twilio_signature_matches_the_documented_example():
    # The published vector of Twilio's request validation (auth token 12345).
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert signed_by_twilio("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not signed_by_twilio(
        "12345", url, {**params, "Digits": "1235"}, "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    )
    assert not signed_by_twilio("", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_keyword_replies():
    assert inbound_word(" stop ") == "stop"
    assert inbound_word("Unsubscribe") == "stop"
    assert inbound_word("START") == "start"
    assert inbound_word("stop please") is None
    assert inbound_word(None) is None
