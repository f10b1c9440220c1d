"""GET /api/v1/analytics/referrals: equity rates, gaps and their 95% intervals."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from tests.api.test_analytics import _referral
from tests.referrals.world import build_world, signed_in

URL = "/api/v1/analytics/referrals?from=2025-03-01&to=2025-03-31&group_by=plan"
BOOKED = [("acknowledge", 1, None), ("accept", 1, None)]


def _seen(day):
    return [*BOOKED, ("schedule", 2, day), ("attend", day, None)]


def _build(app, beacon: list):
    """Acme 30 (11 booked in time, 11 late, all seen; 8 not), Beacon as given, 14 unplanned."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    w = build_world()
    for steps, plan, times in [(_seen(7), "AcmeGold", 11), (_seen(21), "AcmeGold", 11),
                               ([], "AcmeGold", 8), *beacon, ([], None, 14)]:  # fmt: skip
        for _ in range(times):
            _referral(w, plan, steps)
    db.session.commit()
    return w


@pytest.fixture
def history(app):
    """Beacon 20: 11 booked in time and seen, 9 not."""
    return _build(app, [(_seen(7), "BeaconPPO", 11), ([], "BeaconPPO", 9)])


def test_rates_and_gaps_against_the_largest_group(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    body = admin.get(URL).get_json()
    rows = {g["key"]: g for g in body["groups"]}
    assert body["reference"] == "AcmeGold"
    acme, beacon, unknown = rows["AcmeGold"], rows["BeaconPPO"], rows["unknown"]
    assert (acme["attended_rate"], acme["attended_rate_ci"]) == (0.7333, [0.5555, 0.8582])
    assert acme["booked_within_10_business_days_rate_ci"] == [0.3072, 0.6928]
    assert acme["attended_gap"] is None
    assert (beacon["attended_gap"], beacon["attended_gap_ci"]) == (-0.1833, [-0.4258, 0.0782])
    assert beacon["booked_within_10_business_days_gap"] == 0.5
    assert beacon["booked_within_10_business_days_gap_ci"] == [0.1773, 0.6928]
    assert (unknown["attended_rate"], unknown["attended_rate_ci"]) == (0.0, [0.0, 0.2153])
    assert unknown["booked_within_10_business_days_rate"] is None  # none booked
    total = body["total"]
    assert (total["attended_rate"], total["attended_rate_ci"]) == (0.5156, [0.3958, 0.6337])
    assert total["booked_within_10_business_days_rate_ci"] == [0.4961, 0.8025]
    assert "_booked_in_time" not in str(body)


def test_reference_picks_the_group(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    body = admin.get(URL + "&reference=BeaconPPO").get_json()
    rows = {g["key"]: g for g in body["groups"]}
    assert body["reference"] == "BeaconPPO"
    assert rows["AcmeGold"]["attended_gap_ci"] == [-0.0782, 0.4258]
    assert rows["unknown"]["attended_gap_ci"] == [-0.7418, -0.2507]
    assert rows["BeaconPPO"]["attended_gap"] is None


def test_an_unknown_reference_is_a_400_and_audited(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    response = admin.get(URL + "&reference=CedarHMO")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"reference": ["Give one of the report's group keys."]}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral_funnel")
    ).all()
    assert [(e.action, e.outcome) for e in events] == [("read", "invalid")]


def test_withheld_groups_carry_no_rate_and_no_interval(app):
    # Beacon's 5 are withheld, and the 14 unplanned with them (the smallest shown).
    w = _build(app, [([], "BeaconPPO", 5)])
    admin = signed_in(app, "admin", w.pcp_org)
    body = admin.get(URL).get_json()
    rows = {g["key"]: g for g in body["groups"]}
    assert (rows["BeaconPPO"]["sent"], rows["unknown"]["sent"]) == (None, None)
    for key in ("BeaconPPO", "unknown"):
        assert {f: v for f, v in rows[key].items() if f.endswith(("_rate", "_ci", "_gap"))} == {
            f"{m}_{s}": None
            for m in ("attended", "booked_within_10_business_days", "follow_up_7_days")
            for s in ("rate", "rate_ci", "gap", "gap_ci")
        }
    assert body["reference"] == "AcmeGold"
    assert body["total"]["attended_rate_ci"] == [0.3185, 0.5868]  # 22 of 49


def test_plan_staff_compare_only_what_they_see(app, history):
    staff = signed_in(app, "plan_staff", history.other_plan_org, plans=["BeaconPPO"])
    body = staff.get(URL).get_json()
    assert [g["key"] for g in body["groups"]] == ["BeaconPPO"] and body["reference"] == "BeaconPPO"
    beacon = body["groups"][0]
    assert (beacon["attended_rate"], beacon["attended_gap"]) == (0.55, None)
    assert staff.get(URL + "&reference=AcmeGold").status_code == 400


def test_openapi_documents_the_reference_and_the_interval_fields(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/analytics/referrals"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["from", "to", "group_by", "reference"]
    assert "400" in operation["responses"]
    schemas = document["components"]["schemas"]
    group, total = schemas["FunnelGroup"]["properties"], schemas["FunnelCells"]["properties"]
    for measure in ("attended", "booked_within_10_business_days", "follow_up_7_days"):
        assert group[f"{measure}_gap_ci"]["type"] == "array"
        assert group[f"{measure}_rate_ci"]["nullable"] is True
        assert f"{measure}_rate" in total and f"{measure}_gap" not in total
    assert schemas["FunnelReport"]["properties"]["reference"]["nullable"] is True
