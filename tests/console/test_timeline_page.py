"""The patient timeline page: linked from the referral, registry and care plan; 404 off the team."""

from datetime import UTC, datetime, time, timedelta

import pytest

from referrals import use_cases
from referrals.care_team import active_members
from tests.clock import service_today
from tests.referrals.world import actor_of, build_world, referral_payload, signed_in

T0 = datetime.combine(service_today() - timedelta(days=30), time(15, 0), tzinfo=UTC)
RETURN = {
    "diagnoses": ["F32.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {"change": "stopped", "name": "melatonin from the pharmacy"},
    ],
    "treatment": "Weekly CBT for 12 weeks",
    "next_appointment_at": (T0 + timedelta(days=14)).isoformat(),
    "note": "Engaged well.",
}


@pytest.fixture
def rworld(app):
    """The referral world (its own organizations and clinicians), not the seeded directory."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_world()


@pytest.fixture
def pcp(app, rworld):
    return signed_in(app, "pcp", rworld.pcp_org)


@pytest.fixture
def clinician(app, rworld):
    return signed_in(app, "clinician", rworld.practice, npi=rworld.jane.npi)


@pytest.fixture
def episode(db, pcp, clinician, rworld):
    """A referral with a PHQ-9, acknowledged with a return; a goal and a task."""
    doc, jane = actor_of(pcp), actor_of(clinician)
    referral = use_cases.open_and_send(doc, referral_payload(rworld), [], T0)
    screening = {"instrument": "phq9", "answers": [2] * 9, "referral_id": referral.id}
    use_cases.record_screening(doc, screening, T0 + timedelta(hours=1))
    use_cases.move(jane, referral.id, {"type": "acknowledge"}, T0 + timedelta(days=1))
    use_cases.send_return(jane, referral.id, RETURN, T0 + timedelta(days=2))
    eid = referral.episode_id
    (member,) = active_members(eid)
    use_cases.add_goal(doc, eid, {"text": "Walk the dog every morning"}, T0 + timedelta(days=3))
    due = (T0 + timedelta(days=20)).date().isoformat()
    task = {"description": "Check in by phone", "owner_id": member.id, "due_on": due}
    use_cases.add_task(doc, eid, task, T0 + timedelta(days=3))
    return referral


def test_the_pcp_reads_every_entry_in_date_order(db, pcp, episode):
    page = pcp.get(f"/pcp/episodes/{episode.episode_id}/timeline")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Maria Lopez" in html
    assert 'class="trajectory"' in html  # the PHQ-9 chart on top
    marks = [
        "<strong>PHQ-9 18</strong> · moderately severe",
        f"Referral #{episode.id}: Acknowledged",
        "F32.1",
        "sertraline 50 MG Oral Tablet",
        "(RxNorm 312940)",
        "melatonin from the pharmacy",
        "(uncoded)",
        "Weekly CBT for 12 weeks",
        "<q>Walk the dog every morning</q>",
        "<q>Check in by phone</q>",
    ]
    places = [html.index(mark) for mark in marks]
    assert places == sorted(places)
    assert html.count("<q>Check in by phone</q>") == 2  # set, and due


def test_the_referral_care_plan_and_registry_link_to_the_timeline(db, pcp, episode):
    link = f'href="/pcp/episodes/{episode.episode_id}/timeline"'

    referral = pcp.get(f"/pcp/referrals/{episode.id}").get_data(as_text=True)
    plan = pcp.get(f"/pcp/episodes/{episode.episode_id}/care-plan").get_data(as_text=True)
    registry = pcp.get("/pcp/registry").get_data(as_text=True)

    assert link in referral
    assert link in plan
    assert link in registry


def test_the_clinician_on_the_team_reads_it_under_her_blueprint(db, clinician, episode):
    page = clinician.get(f"/clinician/episodes/{episode.episode_id}/timeline")

    assert page.status_code == 200
    assert "<q>Walk the dog every morning</q>" in page.get_data(as_text=True)


def test_an_outsider_gets_not_found(app, db, rworld, episode):
    other = signed_in(app, "pcp", rworld.other_pcp_org)

    assert other.get(f"/pcp/episodes/{episode.episode_id}/timeline").status_code == 404


def test_plan_staff_rows_link_to_the_timeline_only_where_they_are_on_the_team(
    app, db, pcp, rworld, episode
):
    staff = signed_in(app, "plan_staff", rworld.plan_org, plans=("AcmeGold",))
    link = f'href="/staff/episodes/{episode.episode_id}/timeline"'
    before = staff.get("/staff/registry").get_data(as_text=True)
    body = {"role": "care_manager", "organization_id": rworld.plan_org.id}
    use_cases.add_member(actor_of(pcp), episode.episode_id, body, T0 + timedelta(days=4))

    after = staff.get("/staff/registry").get_data(as_text=True)
    page = staff.get(f"/staff/episodes/{episode.episode_id}/timeline")

    assert "Maria Lopez" in before
    assert link not in before
    assert link in after
    assert page.status_code == 200
    assert "<q>Walk the dog every morning</q>" in page.get_data(as_text=True)
