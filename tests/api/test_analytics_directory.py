"""GET /api/v1/analytics/directory: visibility, suppression, audit, scope and bad input."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from tests.referrals.directory_world import build_directory_history
from tests.referrals.world import bearer, signed_in

URL = "/api/v1/analytics/directory?from=2025-06-01&to=2025-06-30"
SHARE = "share_acknowledged_within_2_business_days"


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_directory_history()


def test_admin_report_withholds_small_referral_cells(app, history):
    body = signed_in(app, "admin", history.pcp_org).get(URL).get_json()
    assert [r["referrals"] for r in body["declines"]["reasons"]] == [12, None, None, 0, None]
    assert body["declines"]["total"] == {"referrals": 26}
    rows = {r["npi"]: r for r in body["responsiveness"]["clinicians"]}
    assert rows[history.jane.npi]["referrals"] == 22 and rows[history.jane.npi][SHARE] == 0.5
    assert rows[history.omar.npi]["referrals"] is None
    assert body["suppressed"] == 5
    assert body["verification"]["listings"] == 9 and body["inactive"]["listings"] == 9
    assert body["flags"]["items"] == 5
    assert "Test Patient" not in str(body) and "M1" not in str(body)


def test_plan_a_staff_cannot_see_plan_b(app, history):
    acme = signed_in(app, "plan_staff", history.plan_org, plans=["AcmeGold"]).get(URL).get_json()
    npis = {r["npi"] for r in acme["responsiveness"]["clinicians"]}
    assert history.omar.npi not in npis and history.jane.npi in npis
    assert acme["verification"]["listings"] == 8
    assert acme["declines"]["reasons"][-1] == {"reason": "other", "referrals": 0}
    beacon = signed_in(app, "plan_staff", history.other_plan_org, plans=["BeaconPPO"])
    body = beacon.get(URL).get_json()
    assert body["verification"]["listings"] == 1 and body["flags"]["items"] == 1
    assert [r["npi"] for r in body["responsiveness"]["clinicians"]] == [history.omar.npi]
    assert body["responsiveness"]["total"] == {"referrals": None, SHARE: None}


def test_plan_staff_see_a_plans_networks_listings(app, history):
    from directory.models import Network

    plan = db.session.get(Network, "BeaconPPO")
    plan.networks.append(db.session.get(Network, "AcmeGold"))
    db.session.commit()
    beacon = signed_in(app, "plan_staff", history.other_plan_org, plans=["BeaconPPO"])
    assert beacon.get(URL).get_json()["verification"]["listings"] == 9


def test_each_access_is_audited_and_a_refusal_too(app, history):
    signed_in(app, "admin", history.pcp_org).get(URL)
    pcp = signed_in(app, "pcp", history.pcp_org)
    assert pcp.get(URL).status_code == 403
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "directory_accuracy")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.object_id, e.outcome) for e in events] == [
        ("read", "2025-06-01:2025-06-30", "ok"),
        ("read", None, "denied"),
    ]


def test_a_clinician_is_refused_and_a_key_needs_the_scope(app, client, history, make_api_key):
    jane = signed_in(app, "clinician", history.practice, npi=history.jane.npi)
    assert jane.get(URL).status_code == 403
    worker = make_api_key(history.plan_org, ["referrals:read"])
    assert client.get(URL, headers=bearer(worker)).status_code == 403
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-06-01&to=2025-06-30&group_by=plan",
        "from=2025-06-01&to=2025-06-30&as_of=2025-06-30",
        "from=2025-06-01",
        "from=2025-06-30&to=2025-06-01",
        "from=2025-01-01&to=2026-01-02",
        "from=June&to=2025-06-30",
    ],
)
def test_unknown_params_and_bad_periods_are_400(app, history, query):
    admin = signed_in(app, "admin", history.pcp_org)
    assert admin.get("/api/v1/analytics/directory?" + query).status_code == 400


def test_a_plans_key_with_the_scope_reads_its_networks(app, client, history, make_api_key):
    signed_in(app, "plan_staff", history.plan_org, plans=["AcmeGold"])  # links the plan
    reader = make_api_key(history.plan_org, ["analytics:read"])
    body = client.get(URL, headers=bearer(reader)).get_json()
    assert body["verification"]["listings"] == 8 and body["flags"]["items"] == 4
