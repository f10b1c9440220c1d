"""The care plan page: the PCP builds the team and plan, a member sees it, outsiders get 404."""

from datetime import UTC, datetime

import pytest

from referrals import use_cases
from tests.referrals.world import actor_of, build_world, referral_payload, signed_in

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


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


def test_the_pcp_adds_a_member_a_goal_and_a_task_from_the_page(app, db, pcp, rworld):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(rworld), [], NOW)
    base = f"/pcp/episodes/{referral.episode_id}"

    # Jane joined the team when the referral was sent; the page adds the patient's daughter.
    added = pcp.post(base + "/care-team", data={"role": "patient_family", "name": "Rosa Lopez"})
    pcp.post(base + "/goals", data={"text": "Get back to work by spring"})
    plan = use_cases.read_care_plan(actor_of(pcp), referral.episode_id)
    pcp.post(
        base + "/tasks",
        data={
            "description": "Send intake summary",
            "owner_id": str(plan.members[0].id),
            "due_on": "2026-12-18",
        },
    )
    page = pcp.get(base + "/care-plan")

    assert added.status_code == 303
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Jane Smith, LICSW" in html
    assert "Rosa Lopez" in html
    assert "<q>Get back to work by spring</q>" in html
    assert "Send intake summary" in html
    assert 'id="add-member"' in html


def test_the_referral_page_links_the_care_plan_for_the_practice(app, db, pcp, rworld):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(rworld), [], NOW)

    html = pcp.get(f"/pcp/referrals/{referral.id}").get_data(as_text=True)

    assert f'href="/pcp/episodes/{referral.episode_id}/care-plan" id="care-plan-link"' in html


def test_a_member_clinician_sees_the_plan_without_the_roster_form(app, db, pcp, clinician, rworld):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(rworld), [], NOW)
    eid = referral.episode_id  # sending put Jane on the team
    use_cases.add_goal(actor_of(pcp), eid, {"text": "Keep going to my methadone clinic"}, NOW)

    page = clinician.get(f"/clinician/episodes/{eid}/care-plan")
    link = clinician.get(f"/clinician/referrals/{referral.id}").get_data(as_text=True)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="add-member"' not in html
    assert 'id="add-goal"' in html
    assert "Keep going to my methadone clinic" not in html
    assert 'id="part2-withheld"' in html
    assert 'id="care-plan-link"' in link


def test_a_clinician_off_the_team_gets_404_and_no_link(app, db, pcp, clinician, rworld):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(rworld), [], NOW)
    (jane,) = use_cases.read_care_plan(actor_of(pcp), referral.episode_id).members
    use_cases.remove_member(actor_of(pcp), referral.episode_id, jane.id, NOW)

    page = clinician.get(f"/clinician/episodes/{referral.episode_id}/care-plan")
    link = clinician.get(f"/clinician/referrals/{referral.id}").get_data(as_text=True)

    assert page.status_code == 404
    assert 'id="care-plan-link"' not in link


def test_a_refused_task_is_flashed_and_nothing_is_added(app, db, pcp, rworld):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(rworld), [], NOW)
    base = f"/pcp/episodes/{referral.episode_id}"

    response = pcp.post(base + "/tasks", data={"description": "Call", "owner_id": "999"})
    page = pcp.get(base + "/care-plan").get_data(as_text=True)

    assert response.status_code == 303
    assert "due_on" in page
    assert "No tasks yet." in page
