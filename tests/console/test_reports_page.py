"""The staff reports page: figures, charts, CSV per table, access, audit, bad input, Spanish."""

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from directory.extensions import db
from tests.referrals.directory_world import build_directory_history
from tests.referrals.world import signed_in

PAGE = "/staff/reports?from=2025-06-01&to=2025-06-30&group_by=plan"


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_directory_history()


def _audits(object_type: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == object_type)
    )


def test_the_page_shows_each_table_and_svg_bars(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    response = admin.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    headings = (
        "Referral funnel",
        "Time to appointment",
        "Directory accuracy",
        "Reports by reason",
        "Referral declines by reason",
        "Inactive listings",
    )
    assert [h for h in headings if h not in html] == []
    assert html.count('<svg class="bars" role="img"') == 2
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    assert "of 9 listings had no referral accepted" in html
    assert "50.0%" in html  # Jane's share acknowledged in time
    assert "Test Patient" not in html
    assert (_audits("referral_funnel"), _audits("directory_accuracy")) == (1, 1)


def test_each_table_downloads_as_csv_and_each_download_is_audited(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    response = admin.get(PAGE + "&format=csv&table=declines")
    assert response.mimetype == "text/csv"
    assert "declines-2025-06-01-2025-06-30.csv" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines() == [
        "reason,referrals", "not_accepting_new_patients,12", "not_in_network,",
        "not_clinical_fit,", "could_not_reach_patient,0", "other,", "total,26",
    ]  # fmt: skip
    funnel = admin.get(PAGE + "&format=csv&table=funnel").get_data(as_text=True).splitlines()
    assert funnel[0] == "group,sent,acknowledged,scheduled,attended,declined,no_show,expired"
    assert funnel[-1] == "total,36,36,0,0,0,0,0"
    verification = admin.get(PAGE + "&format=csv&table=verification").get_data(as_text=True)
    # Ages count to the real today: the world's verifications are from 2024-2025.
    assert verification.startswith("days_since_verified,listings\r\n0_30,")
    assert "\r\nnever,1\r\ntotal,9\r\n" in verification
    assert (_audits("referral_funnel"), _audits("directory_accuracy")) == (1, 2)


def test_plan_staff_see_their_plan_and_others_are_refused(app, history):
    acme = signed_in(app, "plan_staff", history.plan_org, plans=["AcmeGold"])
    html = acme.get(PAGE).get_data(as_text=True)
    assert history.jane.npi in html and history.omar.npi not in html
    assert signed_in(app, "pcp", history.pcp_org).get(PAGE).status_code == 403
    clinician = signed_in(app, "clinician", history.practice, npi=history.jane.npi)
    assert clinician.get(PAGE).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-06-30&to=2025-06-01",
        "group_by=ethnicity",
        "colour=blue",
        "format=csv&table=patients",
        "format=xlsx&table=funnel",
    ],
)
def test_bad_input_is_400_without_figures(app, history, query):
    admin = signed_in(app, "admin", history.pcp_org)
    response = admin.get("/staff/reports?" + query)
    assert response.status_code == 400
    assert "Directory accuracy" not in response.get_data(as_text=True)
    assert _audits("directory_accuracy") == 0


def test_the_page_opens_on_the_last_90_days(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    assert admin.get("/staff/reports").status_code == 200


def test_the_page_in_spanish(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    html = admin.get(PAGE, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Exactitud del directorio" in html and "Embudo de derivaciones" in html


def test_plan_staff_without_plans_are_told_why(app, history):
    staff = signed_in(app, "plan_staff", history.other_pcp_org)
    response = staff.get(PAGE)
    assert response.status_code == 403
    assert "Directory reports are for health plans and administrators." in response.get_data(
        as_text=True
    )
