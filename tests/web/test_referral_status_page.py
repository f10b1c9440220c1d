"""The patient's referral status page: a code in the POST body, the status words, nothing more."""

from __future__ import annotations

import pytest

from tests.referrals.program_world import build_programs, community_client, program_payload
from tests.referrals.world import build_world, signed_in


@pytest.fixture
def made(app):
    """An opted-in food pantry referral, sent, and the code handed to the patient."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    world = build_world()
    programs = build_programs()
    pcp = signed_in(app, "pcp", world.pcp_org)
    created = pcp.post(
        "/api/v1/referrals", json=program_payload(world, programs.pantry, patient_updates=True)
    ).get_json()
    pcp.post(f"/api/v1/referrals/{created['id']}/events", json={"type": "send"})
    return created, programs


def test_the_form_asks_for_the_code(client):
    html = client.get("/referral-status").get_data(as_text=True)
    assert 'name="code"' in html and 'method="post"' in html


def test_the_status_in_words_with_no_program_type_or_diagnosis(app, client, made):
    created, programs = made
    staff = community_client(app, programs.pantry, "pantry@example.org")
    staff.post(
        f"/api/v1/referrals/{created['id']}/events",
        json={"type": "report", "program_status": "eligible"},
    )
    response = client.post("/referral-status", data={"code": created["patient_status_code"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "The organization says you can get help there." in html
    assert "Referred by Riverside Primary Care" in html
    for secret in ("Food", "food", "pantry", "Z59", "Greater Boston", "Maria"):
        assert secret not in html


def test_a_wrong_code_is_a_404_page(client, made):
    response = client.post("/referral-status", data={"code": "ZZZZZZZZZZ"})
    assert response.status_code == 404
    assert "We found no referral with that code." in response.get_data(as_text=True)


def test_the_status_page_speaks_spanish(client, made):
    created, _programs = made
    response = client.post(
        "/referral-status",
        data={"code": created["patient_status_code"]},
        headers={"Accept-Language": "es"},
    )
    assert "Enviada. La organización todavía no ha respondido." in response.get_data(as_text=True)
