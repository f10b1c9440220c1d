"""A clinician sees and answers the reports about their own listing, and no one else's."""

from sqlalchemy import select

from corrections.intake import file_report
from corrections.models import CorrectionItem
from corrections.schemas import ReportInput
from directory.models.verification import utcnow


def test_a_clinician_sees_only_reports_about_their_own_listing(world, signed_in):
    file_report(world.ana.npi, ReportInput("wrong_phone", "Rings a fax"), None, utcnow())
    file_report(world.ben.npi, ReportInput("moved", "Office is empty"), None, utcnow())

    html = (
        signed_in("clinician", npi=world.ana.npi).get("/clinician/reports").get_data(as_text=True)
    )

    assert "Rings a fax" in html
    assert "Office is empty" not in html


def test_answering_resolves_the_report(db, world, signed_in):
    item_id = file_report(world.ana.npi, ReportInput("not_accepting"), None, utcnow()).id
    ana = signed_in("clinician", npi=world.ana.npi)

    answered = ana.post(
        f"/clinician/reports/{item_id}", data={"answer": "confirm", "note": "Open to new clients"}
    )

    assert answered.status_code == 303
    item = db.session.scalars(select(CorrectionItem)).one()
    db.session.refresh(item)
    assert (item.status, item.method, item.outcome_note) == (
        "confirmed_correct",
        "portal_attestation",
        "Open to new clients",
    )
    again = ana.post(f"/clinician/reports/{item_id}", data={"answer": "correct"})
    assert again.status_code == 400


def test_another_clinicians_report_is_not_found(db, world, signed_in):
    item_id = file_report(world.ben.npi, ReportInput("moved"), None, utcnow()).id

    response = signed_in("clinician", npi=world.ana.npi).post(
        f"/clinician/reports/{item_id}", data={"answer": "confirm"}
    )

    assert response.status_code == 404
    assert db.session.get(CorrectionItem, item_id).status == "open"
