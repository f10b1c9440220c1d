"""The reports page for a practice manager: their practice's figures, a Reports link, no plans."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from tests.referrals.practice_world import PERIOD, build_practice_history
from tests.referrals.world import signed_in

PAGE = f"/staff/reports?{PERIOD}&group_by=plan"


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_practice_history()


def test_the_page_shows_the_practice_s_figures_and_names_it(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    response = harbor.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Figures for Harbor Counseling only" in html
    assert '<a href="/staff/reports">Reports</a>' in html
    assert "Call console" not in html and "Network adequacy" not in html
    assert history.jane.npi in html and history.omar.npi not in html
    assert "Test Patient" not in html
    audited = db.session.scalars(select(AuditEvent.object_type).order_by(AuditEvent.id)).all()
    assert audited[-2:] == ["referral_funnel", "directory_accuracy"]


def test_the_csv_total_is_the_practice_s(app, history):
    riverside = signed_in(app, "practice_manager", history.pcp_org)
    lines = riverside.get(PAGE + "&format=csv&table=funnel").get_data(as_text=True).splitlines()
    assert lines == [
        "group,sent,acknowledged,scheduled,attended,declined,no_show,expired",
        "AcmeGold,12,11,0,0,,0,0",
        "total,12,11,0,0,,0,0",
    ]


def test_adequacy_and_patient_pages_are_a_clear_403(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    for path in ("/staff/adequacy", "/staff/", "/pcp/referrals", "/clinician/"):
        response = harbor.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 403, path
        assert "Not open to your role" in html
        assert "plan-level reports such as network adequacy" in html
        assert 'href="/staff/reports"' in html


def test_the_page_in_spanish(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    html = harbor.get(PAGE, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Cifras solo de Harbor Counseling" in html and "Embudo de derivaciones" in html
    refused = harbor.get("/staff/adequacy", headers={"Accept-Language": "es"})
    assert "No disponible para su función" in refused.get_data(as_text=True)
