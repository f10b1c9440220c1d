"""Staff see what each source says about a listing, disagreements marked, losers kept."""

from datetime import timedelta

from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import history, observe
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


def _carla():
    return db.session.scalar(select(Clinician).where(Clinician.last_name == "Nguyen"))


COST = {
    "fee_min": "0",
    "fee_max": "90",
    "free_care": "yes",
    "medicaid": "yes",
    "medicare": "no",
    "method": "phone_call",
    "evidence": "front desk, 9:40",
}


def test_an_admin_sets_cost_as_verified_with_the_method(world, signed_in):
    admin = signed_in("admin")
    carla = _carla()
    response = admin.post(f"/admin/listings/{carla.id}/cost", data=COST)
    assert response.status_code == 303
    db.session.expire_all()
    carla = _carla()
    assert (carla.fee_min, carla.fee_max, carla.free_care) == (0, 90, True)
    assert carla.accepts_medicare is False and carla.sliding_scale is None
    words = {(o.kind, o.source, o.method, o.evidence) for o in history(subject(carla.id))}
    assert ("accepts_medicaid", "staff_verification", "phone_call", "front desk, 9:40") in words
    assert len(words) == 4  # fee, free care, Medicaid, Medicare: nothing for "not stated"
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(carla.id))
    )
    assert "update_cost" in list(actions)
    page = admin.get(f"/admin/listings/{carla.id}/cost").get_data(as_text=True)
    assert "Takes Medicare: no (from our staff by phone, today)." in page
    assert "Not known: Sliding scale, Sees uninsured (self-pay) patients." in page


def test_an_admin_cost_edit_needs_the_method_and_evidence(world, signed_in):
    admin = signed_in("admin")
    carla = _carla()
    response = admin.post(f"/admin/listings/{carla.id}/cost", data={**COST, "evidence": ""})
    assert response.status_code == 400
    assert 'id="evidence-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert _carla().fee_max is None


def test_other_roles_cannot_edit_cost(world, signed_in):
    carla = _carla()
    response = signed_in("pcp").post(f"/admin/listings/{carla.id}/cost", data=COST)
    assert response.status_code in (403, 404)
