"""The reports page's equity section: interval charts, their tables, CSV, the reference choice."""

from tests.api.test_analytics_equity import _build, _seen
from tests.referrals.world import signed_in

PAGE = "/staff/reports?from=2025-03-01&to=2025-03-31&group_by=plan"


def _history(app):
    return _build(app, [(_seen(7), "BeaconPPO", 11), ([], "BeaconPPO", 9)])


def test_the_charts_show_intervals_and_the_reference_line(app):
    w = _history(app)
    html = signed_in(app, "admin", w.pcp_org).get(PAGE).get_data(as_text=True)
    section = html.split('id="equity-h"', 1)[1].split("</section>", 1)[0]
    assert section.count('<svg class="intervals" role="img"') == 3
    assert '<title id="equity-attended-t">Referrals attended</title>' in section
    assert "the dashed line is the share of AcmeGold." in section
    # Acme's 73.3% attended: the reference line at 130 + 214 × 0.7333 = 286.9.
    assert '<line class="reference" x1="286.9" x2="286.9"' in section
    # Beacon 55.0% (34.2–74.2%), a gap of −18.3 points (−42.6 to +7.8).
    assert "<td>55.0%</td><td>34.2–74.2%</td><td>-18.3</td><td>-42.6 to +7.8</td>" in section
    assert "<td>73.3%</td><td>55.5–85.8%</td><td>reference</td><td>—</td>" in section
    assert "Reference group: AcmeGold (dashed line)." in section


def test_equity_csv_carries_the_interval_columns(app):
    w = _history(app)
    admin = signed_in(app, "admin", w.pcp_org)
    lines = admin.get(PAGE + "&format=csv&table=equity").get_data(as_text=True).splitlines()
    assert lines[0].startswith(
        "group,attended_rate,attended_rate_ci_low,attended_rate_ci_high,attended_gap,"
        "attended_gap_ci_low,attended_gap_ci_high,booked_within_10_business_days_rate,"
    )
    assert lines[1:] == [
        "AcmeGold,0.7333,0.5555,0.8582,,,,0.5,0.3072,0.6928,,,,,,,,,",
        "BeaconPPO,0.55,0.3421,0.7418,-0.1833,-0.4258,0.0782,1.0,0.7412,1.0,0.5,0.1773,0.6928,,,,,,",
        "unknown,0.0,0.0,0.2153,-0.7333,-0.8582,-0.4541,,,,,,,,,,,,",
        "total,0.5156,0.3958,0.6337,,,,0.6667,0.4961,0.8025,,,,,,,,,",
    ]


def test_the_reference_is_chosen_on_the_form(app):
    w = _history(app)
    admin = signed_in(app, "admin", w.pcp_org)
    html = admin.get(PAGE + "&reference=BeaconPPO").get_data(as_text=True)
    assert '<option value="BeaconPPO" selected>BeaconPPO</option>' in html
    assert "Reference group: BeaconPPO (dashed line)." in html
    link = "table=equity&amp;from=2025-03-01&amp;to=2025-03-31&amp;group_by=plan"
    assert link + "&amp;reference=BeaconPPO" in html
    # The form's empty choice is the default, not an error.
    assert admin.get(PAGE + "&reference=").status_code == 200
    refused = admin.get(PAGE + "&reference=CedarHMO")
    assert refused.status_code == 400 and 'id="equity-h"' not in refused.get_data(as_text=True)


def test_spanish_words(app):
    w = _history(app)
    admin = signed_in(app, "admin", w.pcp_org)
    html = admin.get(PAGE, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Brechas de equidad" in html and "Grupo de referencia: AcmeGold" in html
