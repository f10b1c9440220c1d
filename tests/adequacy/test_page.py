"""The staff adequacy page and its CSV export."""

import csv
import io

from tests.referrals.world import signed_in

PAGE = "/staff/adequacy?plan=AcmeGold&state=RI"


def test_the_page_lists_failing_rows_first_with_the_shortfall(app, world):
    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    page = staff.get(PAGE).get_data(as_text=True)
    assert "Acme Gold HMO · RI" in page
    assert page.index("90.0 points") < page.index("Bristol (44001)")
    assert "Download CSV" in page
    assert "Empty HMO" not in page  # plan staff choose among their own plans


def test_the_form_alone_shows_no_report_and_a_bad_state_is_400(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    blank = admin.get("/staff/adequacy")
    assert blank.status_code == 200
    assert "Empty HMO" in blank.get_data(as_text=True)
    assert "Download CSV" not in blank.get_data(as_text=True)
    bad = admin.get("/staff/adequacy?plan=AcmeGold&state=ZZ")
    assert bad.status_code == 400
    assert "Choose one of your plans and a state." in bad.get_data(as_text=True)


def test_another_plans_staff_get_a_404(app, world):
    other = signed_in(app, "plan_staff", world.other_plan_org, plans=["BeaconPPO"])
    assert other.get(PAGE).status_code == 404
    assert other.get("/staff/adequacy.csv?plan=AcmeGold&state=RI").status_code == 404


def test_the_csv_has_every_row_with_the_same_figures(app, world):
    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    answer = staff.get("/staff/adequacy.csv?plan=AcmeGold&state=RI")
    assert answer.mimetype == "text/csv"
    assert 'filename="adequacy-AcmeGold-RI.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == 20
    bristol = [
        r for r in rows if r["name"] == "Bristol" and r["specialty"] == "Clinical Social Work"
    ]
    assert bristol[0]["population"] == "50793"
    assert bristol[0]["share_within_standard"] == "1.0"
    assert bristol[0]["meets"] == "True"
    assert rows[0]["meets"] == "False"
    assert staff.get("/staff/adequacy.csv").status_code == 400


def test_the_page_renders_in_spanish(app, world):
    from web.i18n import LOCALE_COOKIE

    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    staff.set_cookie(LOCALE_COOKIE, "es")
    page = staff.get(PAGE).get_data(as_text=True)
    assert "Suficiencia de la red" in page
    assert "Descargar CSV" in page
    assert "90.0 puntos" in page
