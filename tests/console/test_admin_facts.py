"""Staff see what each source says about a listing, disagreements marked, losers kept."""

from datetime import timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import observe
from directory.models import Clinician
from directory.models.verification import utcnow


def test_the_listing_queue_shows_each_source_and_marks_a_dispute(world, signed_in):
    admin = signed_in("admin")
    carla = db.session.scalar(select(Clinician).where(Clinician.last_name == "Nguyen"))
    now = utcnow()
    where = carla.id
    observe(subject(where), "location", [{"city": "Boston"}], "nppes", observed_at=now)
    quincy = [{"city": "Quincy"}]
    observe(subject(where), "location", quincy, "roster", observed_at=now - timedelta(days=40))
    db.session.commit()

    html = admin.get("/admin/listings").get_data(as_text=True)

    assert "What each source says" in html
    assert '<li class="conflict"><strong>Sources disagree:</strong> Address: from the plan' in html
    assert "40 days ago; the national NPI registry said otherwise today." in html
    assert "No source has told us: Taking new patients, Phone, Languages, Telehealth." in html


def test_a_listing_no_source_spoke_for_says_so(world, signed_in):
    html = signed_in("admin").get("/admin/listings").get_data(as_text=True)

    everything = "Taking new patients, Address, Phone, Languages, Telehealth"
    assert f"No source has told us: {everything}." in html
