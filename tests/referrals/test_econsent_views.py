"""How a consent was signed, as the console page, the JSON API and the FHIR Consent show it."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from referrals.fhir_consent import SIGNATURE_EXTENSION
from tests.referrals.econsent_world import last_message, open_referral, send_link, token_in
from tests.referrals.world import referral_payload


@pytest.fixture
def signed(client, pcp, world):
    """A referral whose release the patient e-signed from 203.0.113.7."""
    referral_id = open_referral(pcp, referral_payload(world))
    send_link(pcp, referral_id)
    token = token_in(last_message())
    client.post(
        f"/consent/{token}/sign",
        data={"signature": "Maria Lopez", "agree": "yes"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    return referral_id


def test_the_console_shows_how_and_where_it_was_signed(pcp, signed):
    html = pcp.get(f"/pcp/referrals/{signed}").get_data(as_text=True)
    assert "electronic signature via link" in html
    assert "from 203.0.113.7 (form release-2026-12-1)" in html
    assert 'name="destination"' in html


def test_the_console_lists_a_pending_request(pcp, world):
    referral_id = open_referral(pcp, referral_payload(world))
    send_link(pcp, referral_id)
    html = pcp.get(f"/pcp/referrals/{referral_id}").get_data(as_text=True)
    assert "Waiting for the patient" in html
    assert "maria@example.org" not in html


def test_a_paper_consent_says_so(pcp, world):
    consent = {"form_type": "plan_cei", "recipients": ["Harbor Counseling"], "method": "paper"}
    referral_id = open_referral(pcp, referral_payload(world, consent=consent))
    html = pcp.get(f"/pcp/referrals/{referral_id}").get_data(as_text=True)
    assert "How it was signed" in html and "on paper" in html
    body = pcp.get(f"/api/v1/referrals/{referral_id}").get_json()
    assert body["consent"]["method"] == "paper"
    assert body["consent"]["signed_at"] is None


def test_the_api_exposes_the_signature_and_the_requests(pcp, signed):
    body = pcp.get(f"/api/v1/referrals/{signed}").get_json()
    consent = body["consent"]
    assert consent["method"] == "electronic"
    assert consent["signed_ip"] == "203.0.113.7"
    assert consent["form_version"] == "release-2026-12-1"
    assert len(consent["text_hash"]) == 64
    assert consent["status"] == "active"
    (request,) = body["consent_requests"]
    assert (request["channel"], request["form"], request["state"]) == ("email", "release", "signed")
    assert "destination" not in request


def test_the_fhir_consent_carries_the_signature(pcp, signed):
    response = pcp.get(f"/api/v1/referrals/{signed}/fhir")
    Bundle.model_validate_json(response.get_data(as_text=True))
    raw = json.loads(response.get_data(as_text=True))
    (consent,) = [e["resource"] for e in raw["entry"] if e["resource"]["resourceType"] == "Consent"]
    (extension,) = consent["extension"]
    assert extension["url"] == SIGNATURE_EXTENSION
    parts = {p["url"]: p for p in extension["extension"]}
    assert parts["method"]["valueCode"] == "electronic"
    assert parts["formVersion"]["valueString"] == "release-2026-12-1"
    assert len(parts["textSha256"]["valueString"]) == 64
    assert consent["sourceAttachment"]["creation"] == parts["signedAt"]["valueDateTime"]
