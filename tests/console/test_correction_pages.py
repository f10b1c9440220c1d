"""The admin correction queue page: filter, assign, resolve with a method, file a bounce."""

from datetime import timedelta

from sqlalchemy import select

from audit.models import AuditEvent
from corrections.intake import file_report
from corrections.models import CorrectionItem
from corrections.schemas import ReportInput
from directory.models.verification import utcnow


def _report(world, problem="wrong_phone", days_ago=0):
    return file_report(
        world.ana.npi,
        ReportInput(problem, "Number rings out"),
        None,
        utcnow() - timedelta(days=days_ago),
    )


def test_the_queue_shows_items_and_audits_each_read(db, world, signed_in):
    admin = signed_in("admin")
    item = _report(world)

    html = admin.get("/admin/corrections").get_data(as_text=True)

    assert "Ana Rivera" in html and "Number rings out" in html
    reads = db.session.scalars(
        select(AuditEvent.object_id).where(
            AuditEvent.action == "read", AuditEvent.object_type == "correction_item"
        )
    ).all()
    assert reads == [str(item.id)]


def test_overdue_filter_hides_items_still_on_time(db, world, signed_in):
    admin = signed_in("admin")
    world.ana.verify("nppes", utcnow())
    db.session.commit()
    _report(world, "moved", days_ago=0)
    late = _report(world, "wrong_phone", days_ago=10)

    html = admin.get("/admin/corrections?overdue=1").get_data(as_text=True)

    assert f'id="item-{late.id}"' in html
    assert html.count('id="item-') == 1


def test_only_admins_see_the_queue(world, signed_in):
    assert signed_in("pcp").get("/admin/corrections").status_code in (302, 403)
    assert signed_in("clinician", npi=world.ana.npi).get("/admin/corrections").status_code in (
        302,
        403,
    )


def test_assign_then_resolve_with_method_and_evidence(db, world, signed_in):
    admin = signed_in("admin")
    item_id = _report(world).id

    assigned = admin.post(f"/admin/corrections/{item_id}/owner", data={"owner_id": admin.user.id})
    refused = admin.post(f"/admin/corrections/{item_id}/resolve", data={"outcome": "corrected"})
    done = admin.post(
        f"/admin/corrections/{item_id}/resolve",
        data={
            "outcome": "corrected",
            "method": "phone_call",
            "evidence": "Spoke to the front desk",
            "note": "New number 617-555-0199",
        },
    )

    assert (assigned.status_code, refused.status_code, done.status_code) == (303, 400, 303)
    db.session.expire_all()
    item = db.session.get(CorrectionItem, item_id)
    assert (item.owner_id, item.status, item.method) == (admin.user.id, "corrected", "phone_call")
    assert item.clinician.verified_source == "staff:phone_call"


def test_staff_file_a_bounced_contact(db, world, signed_in):
    admin = signed_in("admin")

    filed = admin.post(
        "/admin/corrections/bounces",
        data={"npi": world.ben.npi, "channel": "bounced_email", "contact": "intake@example.org"},
    )
    unknown = admin.post(
        "/admin/corrections/bounces",
        data={"npi": "1234567893", "channel": "bounced_email", "contact": "x@example.org"},
    )

    assert (filed.status_code, unknown.status_code) == (303, 400)
    item = db.session.scalars(select(CorrectionItem)).one()
    assert (item.kind, item.problem, item.clinician_id) == ("bounce", "bounced_email", world.ben.id)
    assert item.filed_by == f"user:{admin.user.id}"
