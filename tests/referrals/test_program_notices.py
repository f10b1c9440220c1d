"""Program referrals notify program staff and the referrer; opted-in patients see a status."""

from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.models import Referral
from referrals.patient_status import CODE_LENGTH, code_hash, normalized
from tests.referrals.program_world import community_client, program_payload


def _create(pcp, body) -> dict:
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def test_the_programs_staff_hear_of_a_new_referral_without_phi(
    app, pcp, world, programs, smtp_sink
):
    staff = community_client(app, programs.pantry, "pantry@example.org")
    community_client(app, programs.otp, "otp@example.org")
    rid = _create(pcp, program_payload(world, programs.pantry))["id"]
    pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})
    mails = smtp_sink.to(staff.user.email)
    assert [m["Subject"] for m in mails] == [f"New referral #{rid}"]
    body = mails[0].get_payload(decode=True).decode()
    for phi in ("Maria", "Lopez", "Z59", "Food"):
        assert phi not in body
    assert smtp_sink.to("otp@example.org") == []


def test_the_referrer_hears_the_programs_own_word(app, pcp, world, programs, smtp_sink):
    staff = community_client(app, programs.pantry, "pantry@example.org")
    body = program_payload(world, programs.pantry, referrer={"email": "dr@example.org"})
    rid = _create(pcp, body)["id"]
    pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})
    staff.post(
        f"/api/v1/referrals/{rid}/events", json={"type": "report", "program_status": "eligible"}
    )
    mails = smtp_sink.to("dr@example.org")
    assert [m["Subject"] for m in mails] == [f"Referral #{rid} accepted"]
    assert (
        f"Referral #{rid} is now marked 'eligible' by the program."
        in mails[0].get_payload(decode=True).decode()
    )


def test_an_opted_in_patient_gets_a_code_once_and_sees_the_status(app, pcp, world, programs, db):
    created = _create(pcp, program_payload(world, programs.pantry, patient_updates=True))
    code = created["patient_status_code"]
    assert len(code) == CODE_LENGTH and created["patient_updates"] is True
    referral = db.session.get(Referral, created["id"])
    assert referral.patient_code_hash == code_hash(code)
    again = pcp.get(f"/api/v1/referrals/{created['id']}").get_json()
    assert "patient_status_code" not in again
    view = use_cases.patient_status(code.lower()[:5] + "-" + code.lower()[5:])
    assert view.words == "Not sent yet."
    assert view.referred_by == "Riverside Primary Care"
    pcp.post(f"/api/v1/referrals/{created['id']}/events", json={"type": "send"})
    staff = community_client(app, programs.pantry, "pantry@example.org")
    staff.post(
        f"/api/v1/referrals/{created['id']}/events",
        json={"type": "report", "program_status": "needs_client_action"},
    )
    assert (
        use_cases.patient_status(code).words
        == "The organization is waiting for you to contact them."
    )
    audited = db.session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.action == "patient_status")
    ).all()
    assert audited == ["ok", "ok"]


def test_no_code_without_opt_in_and_a_wrong_code_is_audited(pcp, world, programs, db):
    created = _create(pcp, program_payload(world, programs.pantry))
    assert "patient_status_code" not in created
    assert db.session.get(Referral, created["id"]).patient_code_hash is None
    assert use_cases.patient_status("0000000000") is None
    assert use_cases.patient_status("not a code") is None
    audited = db.session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.action == "patient_status")
    ).all()
    assert audited == ["denied", "denied"]


def test_codes_are_read_forgivingly():
    assert normalized(" ab12-cd34 ef ") == "AB12CD34EF"
    assert normalized("AB12CD34E") is None  # one short
    assert normalized("AB12CD34EI") is None  # I is not in the alphabet
    assert normalized(None) is None


def test_a_clinician_referral_can_carry_patient_updates_too(pcp, world):
    from tests.referrals.world import referral_payload

    created = _create(pcp, referral_payload(world, patient_updates=True))
    assert use_cases.patient_status(created["patient_status_code"]).words == "Not sent yet."
    assert created["kind"] == "bh_clinician" and created["program"] is None


def test_the_api_shows_the_program_and_its_status(app, pcp, world, programs):
    created = _create(pcp, program_payload(world, programs.pantry))
    assert created["kind"] == "program" and created["clinician"] is None
    assert created["program"] == {
        "service_at_location_id": programs.pantry.site.id,
        "service": "Food pantry",
        "organization": "Greater Boston Food Bank",
        "address": "10 Main St, Boston, MA 02108",
    }
    rid = created["id"]
    sent = pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).get_json()
    assert sent["program_status"] == {"code": "pending", "words": "Pending", "task": "requested"}
    staff = community_client(app, programs.pantry, "pantry@example.org")
    seen = staff.get(f"/api/v1/referrals/{rid}").get_json()
    assert seen["allowed_events"] == ["report"]
    assert seen["disclosure"]["allowed"] is True
    listed = staff.get("/api/v1/referrals?kind=program").get_json()
    assert [item["id"] for item in listed["items"]] == [rid]
