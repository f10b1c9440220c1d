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


def test_the_county_map_shades_the_chosen_specialty(app, world):
    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    page = staff.get(PAGE + "&specialty=037").get_data(as_text=True)
    section = page.split('id="map-h"', 1)[1].split("</section>", 1)[0]
    assert "Clinical Social Work: share of people within the standard, by county" in section
    assert section.count("<path ") == 5  # Rhode Island's five counties
    # Bristol: everyone within reach of the Bristol social worker; Providence 6.5%, failing.
    assert '<path class="share-4" data-fips="44001"' in section
    assert '<path class="share-0 failing" data-fips="44007"' in section
    assert "<title>Providence: 6.5%</title>" in section
    assert '<option value="037" selected>' in section
    assert (
        '<th scope="row">Providence</th><td>6.5%</td><td>90.0%</td><td><strong>No</strong></td>'
        in section
    )
    assert "<script" not in section


def test_the_map_opens_on_psychiatry_and_a_bad_specialty_is_400(app, world):
    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    page = staff.get(PAGE).get_data(as_text=True)
    assert '<option value="029" selected>' in page
    assert staff.get(PAGE + "&specialty=999").status_code == 400


def test_the_map_speaks_spanish(app, world):
    from web.i18n import LOCALE_COOKIE

    staff = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    staff.set_cookie(LOCALE_COOKIE, "es")
    page = staff.get(PAGE).get_data(as_text=True)
    assert "Psychiatry: proporción de personas dentro del estándar, por condado" in page
    assert "No cumple el estándar (contorneado)" in page
