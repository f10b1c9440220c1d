"""E-consent for a Part 2 referral: the 42 CFR 2.31 form, every element shown, then it may go."""

from __future__ import annotations

from datetime import timedelta

from directory.extensions import db
from referrals.consent import PART2_NOTICE, part2_problems
from referrals.disclosure import receiving_party
from referrals.models import Referral
from tests.clock import service_today
from tests.referrals.econsent_world import (
    last_message,
    open_referral,
    requests_of,
    send_link,
    token_in,
)
from tests.referrals.world import referral_payload, sud_payload


def _part2_draft(pcp, world) -> int:
    """A substance use disorder referral with no consent yet (a draft discloses nothing)."""
    return open_referral(pcp, referral_payload(world, diagnoses=["F11.20"], substance_use=True))


def test_a_part2_referral_refuses_the_plain_release(pcp, world):
    referral_id = _part2_draft(pcp, world)
    response = send_link(pcp, referral_id, form="release", to="maria@example.org")
    assert response.status_code == 303
    page = pcp.get(f"/pcp/referrals/{referral_id}").get_data(as_text=True)
    assert "A substance use disorder referral needs the 42 CFR part 2 consent form." in page
    assert requests_of(referral_id) == []


def test_the_part2_page_shows_every_231_element(client, pcp, world):
    referral_id = _part2_draft(pcp, world)
    send_link(pcp, referral_id, form="part2")
    html = client.get(f"/consent/{token_in(last_message())}").get_data(as_text=True)
    expires = (service_today() + timedelta(days=365)).isoformat()
    expected = {
        "patient_name": "Maria Lopez",
        "disclosing_party": "Riverside Primary Care",
        "recipients": "Jane Smith, Harbor Counseling",
        "purpose": "Referral for treatment and coordination of my care.",
        "information": "including substance use disorder diagnoses, treatment history",
        "expires_on": f"on {expires}, unless I revoke it sooner.",
        "revocation_statement": "I may revoke this consent at any time, from this same link",
        "redisclosure": "Notice required by 42 CFR 2.32: " + PART2_NOTICE[:80],
        "signature": "My typed full name below, and the date and time I sign.",
    }
    for key, text in expected.items():
        start = html.index(f'id="element-{key}"')
        assert text in html[start : start + 2500], key
    assert 'name="signature"' in html and 'name="agree"' in html


def test_signing_the_part2_form_lets_the_referral_go(client, pcp, world):
    referral_id = _part2_draft(pcp, world)
    blocked = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert blocked.status_code == 422
    send_link(pcp, referral_id, form="part2")
    client.post(
        f"/consent/{token_in(last_message())}/sign",
        data={"signature": "Maria Lopez", "agree": "yes"},
    )
    referral = db.session.get(Referral, referral_id)
    consent = referral.consent
    assert (consent.form_type, consent.form_version) == ("phi_authorization", "part2-2026-12-1")
    problems = part2_problems(consent, "Maria Lopez", receiving_party(referral), service_today())
    assert problems == {}
    sent = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert sent.status_code == 200
    assert sent.get_json()["status"] == "sent"


def test_the_page_speaks_spanish(client, pcp, world):
    referral_id = _part2_draft(pcp, world)
    send_link(pcp, referral_id, form="part2")
    token = token_in(last_message())
    html = client.get(f"/consent/{token}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Quién puede divulgar" in html
    assert "Firmar la autorización" in html and "Usted firmó" not in html
    assert "Aviso exigido por 42 CFR 2.32 (texto oficial en inglés): " in html


def test_a_verbal_part2_consent_is_no_signature(pcp, world):
    body = sud_payload(world, method="verbal")
    referral_id = open_referral(pcp, body)
    blocked = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert blocked.status_code == 422
    problems = blocked.get_json()["errors"]["consent"]
    assert problems == {
        "signed_by": "missing §2.31(a)(8) the signature of the patient or authorized representative"
    }


def test_a_paper_part2_consent_still_goes(pcp, world):
    referral_id = open_referral(pcp, sud_payload(world, method="paper"))
    sent = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert sent.status_code == 200
