"""The console records how a consent was signed, and sends e-consent links from the referral."""

from __future__ import annotations

from directory.extensions import db
from referrals.models import Referral
from tests.console.conftest import referral_form


def _refer(pcp, world, method: str) -> int:
    response = pcp.post("/pcp/referrals", data=referral_form(world.ana, consent_method=method))
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_refer_form_records_how_the_consent_was_signed(world, signed_in):
    pcp = signed_in("pcp")
    paper, verbal = _refer(pcp, world, "paper"), _refer(pcp, world, "verbal")
    assert db.session.get(Referral, paper).consent.method == "paper"
    assert db.session.get(Referral, verbal).consent.method == "verbal"
    assert "on paper" in pcp.get(f"/pcp/referrals/{paper}").get_data(as_text=True)
    assert "verbally" in pcp.get(f"/pcp/referrals/{verbal}").get_data(as_text=True)


def test_a_sent_referral_offers_the_e_consent_form(sent_referral):
    html = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "Send the patient a link to sign the release" in html
    assert f'action="/pcp/referrals/{sent_referral.id}/consent/request"' in html


def test_a_bad_destination_is_said_on_the_page(sent_referral):
    pcp = sent_referral.pcp
    data = {"channel": "email", "destination": "not-an-address", "form": "release"}
    response = pcp.post(f"/pcp/referrals/{sent_referral.id}/consent/request", data=data)
    assert response.status_code == 303
    html = pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "Give a valid email address or a mobile number such as +16175550123." in html
    assert db.session.get(Referral, sent_referral.id).consent_requests == []
