"""Program referrals on staff pages: PCP search and refer, the board, the community inbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accounts.users import create_user
from audit.models import AuditEvent
from programs.models import ProgramOrganization, ProgramSite
from referrals.clock import local_today
from referrals.models import Referral
from tests.conftest import AuthActions
from tests.console.conftest import PATIENT_BIRTH, PATIENT_NAME, ZIP
from tests.programs.seed import program, save


def _pantry(db):
    save(program("pantry", 1.0, needs=["food"]), program("rides", 2.0, needs=["transportation"]))
    site = db.session.scalar(select(ProgramSite).where(ProgramSite.external_id == "test:pantry"))
    return site


def _community_client(app, db, external_id: str, email: str):
    org = db.session.scalar(
        select(ProgramOrganization).where(ProgramOrganization.external_id == external_id)
    )
    client = app.test_client()
    actions = AuthActions(app, client)
    user, _ = create_user(
        email, "community", "Pantry staff org", "correct horse battery staple", program_org=org.id
    )
    db.session.commit()
    assert actions.login(email, "correct horse battery staple").status_code == 302
    client.user = user
    return client


def _form(site, **overrides) -> dict:
    today = local_today()
    form = {
        "service_at_location_id": str(site.id),
        "program_needs": ["food"],
        "patient_name": PATIENT_NAME,
        "patient_birth_date": PATIENT_BIRTH,
        "patient_phone": "617-555-0142",
        "reason": "Ran out of food twice this month",
        "referral_diagnoses": "Z59.41",
        "urgency": "routine",
        "consent_form_type": "phi_authorization",
        "consent_signed_by": PATIENT_NAME,
        "consent_signed_on": (today - timedelta(days=1)).isoformat(),
        "consent_expires_on": (today + timedelta(days=365)).isoformat(),
        "consent_recipient_name": "pantry organization",
        "consent_disclosing_party": "Riverside Primary Care",
        "consent_information": "Name, phone and the need",
        "consent_purpose": "Food assistance",
        "consent_revocation_statement": "1",
        "patient_updates": "1",
    }
    form.update(overrides)
    return form


def test_the_pcp_finds_a_program_and_refers_to_it(world, signed_in, db):
    site = _pantry(db)
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/programs", data={"postal_code": ZIP, "needs": ["food"]}).get_data(
        as_text=True
    )
    assert "pantry organization" in html and "rides organization" not in html
    assert f'name="service_at_location_id" value="{site.id}"' in html
    form = pcp.post("/pcp/programs/refer", data={"service_at_location_id": str(site.id)})
    assert form.status_code == 200 and "Refer to pantry organization" in form.get_data(True)
    sent = pcp.post("/pcp/programs/referrals", data=_form(site))
    assert sent.status_code == 303, sent.get_data(as_text=True)[-1500:]
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.kind, referral.site_id, referral.status) == ("program", site.id, "sent")
    assert (referral.program_status, referral.patient_updates) == ("pending", True)
    assert referral.needs == {"needs": ["food"]}
    page = pcp.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Give the patient this code" in page and "Pending" in page


def test_a_refused_program_referral_shows_the_form_again(world, signed_in, db):
    site = _pantry(db)
    pcp = signed_in("pcp")
    response = pcp.post("/pcp/programs/referrals", data=_form(site, reason=""))
    assert response.status_code == 400
    assert "The referral was not sent" in response.get_data(as_text=True)
    assert db.session.scalars(select(Referral)).all() == []


def test_the_board_shows_both_kinds_and_filters(world, signed_in, db):
    from tests.console.conftest import referral_form

    site = _pantry(db)
    pcp = signed_in("pcp")
    assert pcp.post("/pcp/referrals", data=referral_form(world.ana)).status_code == 303
    assert pcp.post("/pcp/programs/referrals", data=_form(site)).status_code == 303
    board = pcp.get("/pcp/referrals").get_data(as_text=True)
    assert "Behavioral-health clinician" in board and "Community or treatment program" in board
    assert "Ana Rivera" in board and "pantry · pantry organization" in board
    assert 'href="/pcp/referrals/kind/program"' in board
    only = pcp.get("/pcp/referrals/kind/program").get_data(as_text=True)
    assert "pantry organization" in only and "Ana Rivera" not in only
    assert pcp.get("/pcp/referrals/kind/other").status_code == 404


def test_community_staff_work_their_inbox(app, world, signed_in, db):
    site = _pantry(db)
    pcp = signed_in("pcp")
    sent = pcp.post("/pcp/programs/referrals", data=_form(site))
    rid = int(sent.headers["Location"].rsplit("/", 1)[1])
    staff = _community_client(app, db, "test:org:pantry", "pantry-staff@example.org")
    inbox = staff.get("/community/").get_data(as_text=True)
    assert f"#{rid}" in inbox and PATIENT_NAME in inbox and "Pending" in inbox
    page = staff.get(f"/community/referrals/{rid}").get_data(as_text=True)
    assert 'id="report-form"' in page and 'value="eligible"' in page
    assert 'value="accept"' not in page
    moved = staff.post(
        f"/community/referrals/{rid}/events", data={"type": "report", "program_status": "eligible"}
    )
    assert moved.status_code == 303
    referral = db.session.get(Referral, rid)
    assert (referral.status, referral.program_status) == ("accepted", "eligible")
    reads = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "referral", AuditEvent.actor == staff.user.label
        )
    ).all()
    assert reads[:2] == ["disclose", "disclose"] and "event:report" in reads


def test_other_organizations_staff_see_nothing(app, world, signed_in, db):
    site = _pantry(db)
    pcp = signed_in("pcp")
    sent = pcp.post("/pcp/programs/referrals", data=_form(site))
    rid = int(sent.headers["Location"].rsplit("/", 1)[1])
    other = _community_client(app, db, "test:org:rides", "rides-staff@example.org")
    assert f"#{rid}" not in other.get("/community/").get_data(as_text=True)
    assert other.get(f"/community/referrals/{rid}").status_code == 404
    assert signed_in("pcp").get("/community/").status_code == 403


def test_plan_staff_see_an_overdue_program_referral_in_their_queue(world, signed_in, db):
    from datetime import UTC, datetime

    from tests.console.conftest import needs

    site = _pantry(db)
    pcp = signed_in("pcp")
    form = _form(site, referral_plan=needs()["plan"], patient_member_id="MC123456")
    sent = pcp.post("/pcp/programs/referrals", data=form)
    rid = int(sent.headers["Location"].rsplit("/", 1)[1])
    referral = db.session.get(Referral, rid)
    referral.sent_at = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)  # long overdue
    db.session.commit()
    html = signed_in("plan_staff").get("/staff/queue").get_data(as_text=True)
    assert f"#{rid}</a> · Pending" in html
    assert "pantry · pantry organization" in html
