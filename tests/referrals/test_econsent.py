"""E-consent: a signed-link release the patient signs or revokes; forged and expired links."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from referrals import use_cases
from referrals.disclosure import REVOKED, sending_problems
from referrals.econsent import LinkRefused
from referrals.econsent_text import Parties, elements, text_hash
from referrals.models import Referral
from tests.clock import service_today
from tests.referrals.econsent_world import (
    last_message,
    open_referral,
    requests_of,
    send_link,
    token_in,
)
from tests.referrals.world import referral_payload

BROWSER = {"User-Agent": "TestBrowser/1.0"}
ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def sent(pcp, world):
    """A draft referral to Jane Smith and the token of the link sent for it."""
    referral_id = open_referral(pcp, referral_payload(world))
    assert send_link(pcp, referral_id).status_code == 303
    return referral_id, token_in(last_message())


def _sign(client, token, name="Maria Lopez", agree="yes", **headers):
    data = {"signature": name, "agree": agree}
    return client.post(
        f"/consent/{token}/sign", data=data, headers={**BROWSER, **headers}, environ_base=ADDRESS
    )


def _audits(object_type: str) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(row.action, row.outcome, row.object_id) for row in rows]


def test_the_link_goes_in_the_patients_language_with_no_clinical_words(sent):
    referral_id, token = sent
    message = last_message()
    assert message.channel == "email"
    assert message.destination == "maria@example.org"
    assert message.subject == "Revise y firme su autorización para compartir información"
    assert f"http://127.0.0.1:5000/consent/{token}\n" in message.body
    assert message.body.startswith("Riverside Primary Care le pide que revise y firme")
    for secret in ("Maria", "Lopez", "Jane", "Smith", "Harbor", "F32", "mood", "depression"):
        assert secret not in message.body
    (request,) = requests_of(referral_id)
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (request.state, request.form, request.language) == ("pending", "release", "es")
    assert request.expires_at - request.created_at == timedelta(days=7)
    assert request.consent_expires_on == service_today() + timedelta(days=365)


def test_a_text_message_needs_a_mobile_number(pcp, world):
    referral_id = open_referral(pcp, referral_payload(world))
    send_link(pcp, referral_id, channel="sms", to="617-555-0142")
    assert requests_of(referral_id) == []
    send_link(pcp, referral_id, channel="sms", to="+16175550142")
    message = last_message()
    assert (message.channel, message.destination, message.subject) == ("sms", "+16175550142", None)
    assert message.body.startswith("Riverside Primary Care: revise y firme su autorización")


def test_signing_records_how_when_where_and_what_text(client, sent, world):
    referral_id, token = sent
    response = _sign(client, token)
    assert response.status_code == 200
    assert "You signed this release" in response.get_data(as_text=True)
    consent = db.session.get(Referral, referral_id).consent
    assert consent.method == "electronic"
    assert (consent.signed_by, consent.signed_on) == ("Maria Lopez", service_today())
    assert (consent.signed_ip, consent.signed_user_agent) == ("203.0.113.7", "TestBrowser/1.0")
    assert consent.form_type == "plan_cei"
    assert consent.form_version == "release-2026-12-1"
    assert consent.recipients == [{"name": "Jane Smith", "npi": world.jane.npi}]
    assert consent.disclosing_party == "Riverside Primary Care"
    assert consent.expires_on == service_today() + timedelta(days=365)
    assert consent.revocation_statement is True
    parties = Parties("Maria Lopez", "Riverside Primary Care", "Jane Smith, Harbor Counseling")
    shown = elements("release", parties, consent.expires_on, "en")
    assert consent.text_hash == text_hash("release-2026-12-1", "en", shown)
    step = {row.item: row for row in db.session.get(Referral, referral_id).checklist}
    assert (step["consent_on_file"].done, step["consent_on_file"].done_by) == (
        True,
        "patient (consent link)",
    )
    request_id = str(requests_of(referral_id)[0].id)
    assert _audits("consent_request") == [("create", "ok", request_id), ("sign", "ok", request_id)]
    assert _audits("consent") == [("sign", "ok", str(consent.id))]


def test_the_same_link_later_shows_the_status_and_offers_revoking(client, sent):
    _referral_id, token = sent
    _sign(client, token)
    html = client.get(f"/consent/{token}").get_data(as_text=True)
    assert "Signed by Maria Lopez on" in html
    assert f'action="/consent/{token}/revoke"' in html
    assert 'name="signature"' not in html


def test_a_second_signature_is_refused_and_changes_nothing(client, sent):
    referral_id, token = sent
    _sign(client, token)
    first = db.session.get(Referral, referral_id).consent.signed_at
    response = _sign(client, token, name="Someone Else")
    assert response.status_code == 409
    assert "This release is already signed" in response.get_data(as_text=True)
    db.session.expire_all()
    consent = db.session.get(Referral, referral_id).consent
    assert (consent.signed_by, consent.signed_at) == ("Maria Lopez", first)
    assert _audits("consent_request")[-1][:2] == ("sign", "invalid")


def test_a_forged_link_is_a_404_page_and_stores_nothing(client, sent):
    referral_id, token = sent
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for response in (client.get(f"/consent/{forged}"), _sign(client, forged)):
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)
    assert client.get(f"/consent/{'x' * 65}").status_code == 404
    assert db.session.get(Referral, referral_id).consent is None
    assert _audits("consent_request")[1:] == [
        ("view", "denied", None),
        ("sign", "denied", None),
    ] + [("view", "denied", None)]


def test_a_missing_signature_or_tick_shows_the_form_again(client, sent):
    referral_id, token = sent
    response = _sign(client, token, name="  ", agree="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Type your full name to sign." in html and "Tick the box to say you agree." in html
    assert db.session.get(Referral, referral_id).consent is None


def test_the_link_works_until_just_before_its_expiry_and_not_at_it(sent):
    referral_id, token = sent
    request = requests_of(referral_id)[0]
    just_before = request.expires_at - timedelta(microseconds=1)
    assert use_cases.open_consent_link(token, just_before).request.id == request.id
    with pytest.raises(LinkRefused) as refused:
        use_cases.open_consent_link(token, request.expires_at)
    assert refused.value.reason == "expired"


def test_an_expired_link_is_a_410_page_and_signs_nothing(client, sent):
    referral_id, token = sent
    request = requests_of(referral_id)[0]
    request.expires_at = request.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/consent/{token}").status_code == 410
    response = _sign(client, token)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert db.session.get(Referral, referral_id).consent is None


def test_revoking_through_the_link_applies_the_revocation_rules(client, sent):
    referral_id, token = sent
    _sign(client, token)
    response = client.post(f"/consent/{token}/revoke", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert response.status_code == 200
    assert "Your consent is revoked" in response.get_data(as_text=True)
    referral = db.session.get(Referral, referral_id)
    consent = referral.consent
    assert consent.revoked_at is not None
    assert (consent.revoked_by, consent.revoked_ip) == ("patient (consent link)", "198.51.100.9")
    assert sending_problems(referral, service_today()) == {"revoked": REVOKED}
    used = client.get(f"/consent/{token}")
    assert used.status_code == 410
    assert "This link no longer works" in used.get_data(as_text=True)
    assert client.post(f"/consent/{token}/revoke").status_code == 410


def test_revoking_an_unsigned_link_is_refused(client, sent):
    referral_id, token = sent
    assert client.post(f"/consent/{token}/revoke").status_code == 409
    assert requests_of(referral_id)[0].state == "pending"


def test_a_newer_link_replaces_the_unsigned_one(client, pcp, sent):
    referral_id, old = sent
    send_link(pcp, referral_id)
    new = token_in(last_message())
    assert client.get(f"/consent/{old}").status_code == 410
    assert client.get(f"/consent/{new}").status_code == 200
    assert [r.state for r in requests_of(referral_id)] == ["replaced", "pending"]


def test_only_the_referring_side_may_send_a_link(app, sent, world):
    from tests.referrals.world import signed_in

    referral_id, _token = sent
    other = signed_in(app, "pcp", world.other_pcp_org)
    assert send_link(other, referral_id).status_code == 404
    assert len(requests_of(referral_id)) == 1


def test_a_revocation_the_care_team_recorded_shows_on_the_link(client, pcp, sent):
    referral_id, token = sent
    _sign(client, token)
    assert pcp.post(f"/pcp/referrals/{referral_id}/consent/revoke").status_code == 303
    html = client.get(f"/consent/{token}").get_data(as_text=True)
    assert "Your care team recorded that you revoked it on" in html
    assert f'action="/consent/{token}/revoke"' not in html


def test_a_text_is_delivered_through_the_sms_provider(app, pcp, world, receiver):
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url + "/2010-04-01",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )
    referral_id = open_referral(pcp, referral_payload(world))
    send_link(pcp, referral_id, channel="sms", to="+16175550142")
    message = last_message()
    assert message.status == "sent"
    (got,) = receiver.requests
    form = parse_qs(got.body.decode())
    assert form["To"] == ["+16175550142"]
    assert form["Body"] == [message.body]
    assert f"/consent/{token_in(message)}" in form["Body"][0]
