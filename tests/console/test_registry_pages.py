"""The PCP and plan registry pages, the episode page and the chart on the referral page."""

from datetime import timedelta

import pytest

from referrals.use_cases import local_today
from tests.referrals.world import PATIENT, actor_of, build_world, signed_in
from tests.registry.conftest import attended, referred, screen


@pytest.fixture
def rworld(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_world()


@pytest.fixture
def practice(app, rworld):
    return signed_in(app, "pcp", rworld.pcp_org)


@pytest.fixture
def referral(app, rworld, practice):
    """Maria: PHQ-9 18 a hundred days ago, 4 two days ago; seen 90 days ago."""
    today, actor = local_today(), actor_of(practice)
    found = referred(actor, rworld, today - timedelta(days=100))
    screen(actor, found, today - timedelta(days=100), 18)
    screen(actor, found, today - timedelta(days=2), 4)
    clinician = signed_in(app, "clinician", rworld.practice, npi=rworld.jane.npi)
    attended(actor, actor_of(clinician), found, today - timedelta(days=90))
    return found


def test_the_pcp_registry_lists_the_patient_with_flags(practice, referral):
    page = practice.get("/pcp/registry").get_data(as_text=True)

    assert PATIENT["name"] in page
    assert "Remission" in page and "No visit in 30 days" in page
    assert f'href="/pcp/episodes/{referral.episode_id}"' in page
    assert "1 patient." in page


def test_the_filter_is_a_get_with_choices_and_a_bad_one_is_a_400(practice, referral):
    assert "No patients match." in practice.get("/pcp/registry?flag=overdue").get_data(True)
    bad = practice.get("/pcp/registry?flag=anything")
    assert bad.status_code == 400
    assert "Those filters are not valid" in bad.get_data(as_text=True)


def test_the_plan_registry_shows_members_without_episode_links(app, rworld, referral):
    staff = signed_in(app, "plan_staff", rworld.plan_org, plans=[rworld.plan.id])

    page = staff.get("/staff/registry").get_data(as_text=True)

    assert PATIENT["name"] in page
    assert "/pcp/episodes/" not in page


def test_a_clinician_may_not_open_the_registry(app, rworld, referral):
    clinician = signed_in(app, "clinician", rworld.practice, npi=rworld.jane.npi)

    assert clinician.get("/pcp/registry").status_code == 403


def test_the_episode_page_and_the_referral_page_draw_the_chart_with_a_table(practice, referral):
    today = local_today()
    for url in (f"/pcp/episodes/{referral.episode_id}", f"/pcp/referrals/{referral.id}"):
        page = practice.get(url).get_data(as_text=True)
        assert '<svg class="trajectory" role="img"' in page, url
        assert "moderately severe (15+)" in page
        assert f"<td>{(today - timedelta(days=2)).isoformat()}</td><td>4</td>" in page


def test_another_practice_gets_a_404_for_the_episode_page(app, rworld, referral):
    other = signed_in(app, "pcp", rworld.other_pcp_org)

    assert other.get(f"/pcp/episodes/{referral.episode_id}").status_code == 404
