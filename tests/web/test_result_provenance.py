"""A patient's result card says where its facts came from and how old they are."""

from datetime import timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import observe
from directory.models import Clinician
from directory.models.verification import utcnow
from tests.web.seed_directory import PLAN_ID


def _rivera() -> int:
    return db.session.scalar(select(Clinician.id).where(Clinician.last_name == "Rivera"))


def test_the_card_says_who_told_us_and_when(search):
    ana = subject(_rivera())
    now = utcnow()
    twelve = now - timedelta(days=12, hours=1)
    observe(ana, "network_participation", True, "roster", observed_at=twelve, network_id=PLAN_ID)
    attested = now - timedelta(days=100)
    observe(ana, "accepting_new_patients", True, "clinician_attestation", observed_at=attested)
    db.session.commit()

    page = search(concerns=["depression"]).get_data(as_text=True)

    assert "How we know:" in page
    assert "In network masscare-hmo: from the plan&#39;s roster, 12 days ago." in page
    assert "Taking new patients: from the clinician, 3 months ago." in page


def test_the_card_says_nothing_of_sources_when_we_have_none(search):
    page = search(concerns=["depression"]).get_data(as_text=True)

    assert "How we know:" not in page
