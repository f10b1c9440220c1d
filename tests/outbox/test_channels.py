"""The channels: HMAC-signed webhooks, a Twilio-compatible SMS provider, email over SMTP."""

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from directory.extensions import db
from outbox.models import OutboxMessage
from outbox.queue import deliver_due, deliver_ids, enqueue
from outbox.sms import provider_for
from outbox.webhook import register_secret_source, signature, signed_headers

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)


def test_signature_is_the_hmac_of_timestamp_dot_body():
    # Computed independently: printf '1796655600.{}' | openssl dgst -sha256 -hmac 'k3y'
    assert signature("k3y", "1796655600", "{}") == (
        "sha256=775c86c99c4c1b8a5792068586d67f89f43ff84084487e0a1639accda5d6339e"
    )


def test_signed_headers_carry_the_send_time(app):
    headers = signed_headers("k3y", "{}", T0)
    assert headers["X-Signature-Timestamp"] == "1796655600"
    assert headers["X-Signature-256"] == signature("k3y", "1796655600", "{}")
    assert signed_headers(None, "{}", T0) == {}


def test_a_webhook_arrives_with_its_headers(app, receiver):
    headers = {"Content-Type": "application/fhir+json", **signed_headers("k3y", "{}", T0)}
    message = enqueue("webhook", receiver.url, "{}", purpose="test", headers=headers)
    db.session.commit()
    deliver_ids(app.config, [message.id], now=T0)
    got = receiver.requests[0].headers
    assert got["Content-Type"] == "application/fhir+json"
    assert got["X-Signature-256"] == headers["X-Signature-256"]


def test_a_registered_key_signs_each_attempt_at_its_own_time(app, receiver):
    register_secret_source("test-owner", {"1": "k3y"}.get)
    message = enqueue("webhook", receiver.url, "{}", purpose="test", reference="test-owner:1")
    db.session.commit()
    receiver.statuses = [500]
    deliver_ids(app.config, [message.id], now=T0)
    deliver_due(app.config, now=T1)

    first, retry = (hit.headers for hit in receiver.requests)
    assert first["X-Signature-Timestamp"] == "1796655600"
    assert retry["X-Signature-Timestamp"] == "1796659200"
    assert retry["X-Signature-256"] == signature("k3y", "1796659200", "{}")
    assert db.session.get(OutboxMessage, message.id).headers == {}


def test_a_webhook_whose_key_owner_is_gone_is_not_sent_unsigned(app, receiver):
    register_secret_source("test-owner", {}.get)
    message = enqueue("webhook", receiver.url, "{}", purpose="test", reference="test-owner:9")
    db.session.commit()
    assert deliver_ids(app.config, [message.id], now=T0).retrying == [message.id]
    assert receiver.requests == []
    assert db.session.get(OutboxMessage, message.id).last_error == "test-owner gone"


def test_a_redirect_is_not_followed(app, receiver):
    receiver.statuses = [302]
    message = enqueue("webhook", receiver.url, "{}", purpose="test")
    db.session.commit()
    assert deliver_ids(app.config, [message.id], now=T0).retrying == [message.id]


def _twilio(app, receiver):
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url + "/2010-04-01",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )


def test_a_text_goes_to_the_provider_with_basic_auth(app, receiver):
    _twilio(app, receiver)
    message = enqueue("sms", "+16175550123", "Hola", purpose="test")
    db.session.commit()
    assert deliver_ids(app.config, [message.id], now=T0).sent == [message.id]
    got = receiver.requests[0]
    assert got.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert parse_qs(got.body.decode()) == {
        "To": ["+16175550123"],
        "From": ["+16175550100"],
        "Body": ["Hola"],
    }
    assert got.headers["Authorization"] == "Basic " + base64.b64encode(b"AC123:tok").decode()


def test_a_provider_refusal_is_retried(app, receiver):
    _twilio(app, receiver)
    receiver.statuses = [429]
    message = enqueue("sms", "+16175550123", "Hola", purpose="test")
    db.session.commit()
    deliver_ids(app.config, [message.id], now=T0)
    row = db.session.get(OutboxMessage, message.id)
    assert (row.status, row.last_error) == ("pending", "HTTP 429")


def test_an_unknown_sms_provider_is_a_configuration_error(app):
    app.config["SMS_PROVIDER"] = "carrier-pigeon"
    with pytest.raises(ValueError, match="SMS_PROVIDER must be one of none, twilio"):
        provider_for(app.config)


def test_email_goes_over_smtp(app, smtp_sink):
    message = enqueue("email", "pcp@example.org", "Body", subject="Subject", purpose="test")
    db.session.commit()
    assert deliver_ids(app.config, [message.id], now=T0).sent == [message.id]
    [mail] = smtp_sink.to("pcp@example.org")
    assert mail["Subject"] == "Subject"


def test_email_with_mail_off_waits(app, smtp_sink):
    app.config["MAIL_ENABLED"] = False
    message = enqueue("email", "pcp@example.org", "Body", subject="S", purpose="test")
    db.session.commit()
    assert deliver_ids(app.config, [message.id], now=T0).retrying == [message.id]
    assert smtp_sink.messages == []
