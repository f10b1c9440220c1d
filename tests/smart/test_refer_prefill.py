"""From the EHR launch to a referral: the form starts from the chart, the rules stay the same."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from referrals.models import Referral
from smart.models import EhrRegistration
from tests.console.conftest import referral_form, world  # noqa: F401  (the seeded directory)
from tests.smart.conftest import launch
from tests.smart.ehr_server import CLIENT_ID


@pytest.fixture
def launched(app, client, auth, ehr, world):  # noqa: F811
    """A PCP who launched from the EHR and linked their EHR user: the pre-fill is in session."""
    db.session.add(EhrRegistration(issuer=ehr.iss, name="Test EHR", client_id=CLIENT_ID))
    db.session.commit()
    auth.login_as("pcp", org=world.pcp_org)
    launch(client, ehr)
    assert client.post("/smart/link").status_code == 303
    return client


def test_the_referral_form_starts_with_the_launch_patient(launched, world):  # noqa: F811
    page = launched.post(
        "/pcp/refer", data={"postal_code": "02139", "choice": f"{world.ana.npi}:"}
    ).get_data(as_text=True)

    assert 'value="Peter James Chalmers"' in page
    assert 'value="1974-12-25"' in page
    assert 'value="(617) 555-0142"' in page
    assert 'value="AB9876"' in page
    assert 'value="F11.20, F32.1"' in page
    assert "Opioid dependence, uncomplicated" in page
    assert "buprenorphine 8 MG / naloxone 2 MG Sublingual Film" in page
    assert 'value="2 2 2 2 2 1 1 2 0"' in page
    assert "PHQ-9 total 14 (2026-11-20), from the EHR." in page


def test_what_the_pcp_types_wins_over_the_chart(launched, world):  # noqa: F811
    page = launched.post(
        "/pcp/refer",
        data={"choice": f"{world.ana.npi}:", "patient_name": "Peter Chalmers"},
    ).get_data(as_text=True)

    assert 'value="Peter Chalmers"' in page
    assert 'value="Peter James Chalmers"' not in page


def test_prefilled_sud_content_is_part2_by_content_like_any_referral(launched, world):  # noqa: F811
    form = referral_form(
        world.ana,
        conditions="Opioid dependence, uncomplicated",
        medications="buprenorphine 8 MG / naloxone 2 MG Sublingual Film",
        referral_diagnoses="F11.20, F32.1",
    )

    answer = launched.post("/pcp/referrals", data=form)

    assert answer.status_code == 303
    (referral,) = db.session.scalars(select(Referral)).all()
    assert referral.part2 is True
    assert "diagnoses:F11.20" in referral.part2_basis
    assert any(basis.startswith("medications:") for basis in referral.part2_basis)


def test_sending_the_referral_clears_the_launch_patient(launched, world):  # noqa: F811
    answer = launched.post("/pcp/referrals", data=referral_form(world.ana))

    assert answer.status_code == 303
    assert "Pre-filled from the EHR" not in launched.get("/pcp/?launch=1").get_data(as_text=True)
