"""GET /api/v1/analytics/referrals on a hand-built history, recomputed in plain Python."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from accounts.identity import actor_for_user
from audit.models import AuditEvent
from directory.extensions import db
from directory.models.verification import as_utc
from referrals.models import Referral, ReferralEvent
from referrals.use_cases.funnel import funnel_figures
from tests.referrals.world import bearer, build_world, signed_in

EASTERN = ZoneInfo("America/New_York")
MONDAY = datetime(2025, 3, 3, 10, tzinfo=EASTERN)
URL = "/api/v1/analytics/referrals?from=2025-03-01&to=2025-03-31&group_by="


def _referral(w, plan, steps, sent_at=MONDAY):
    """A referral from Riverside with `steps` as (event type, days after sending, booked day)."""
    referral = Referral(
        status="sent",
        plan_id=plan,
        patient_member_id="M1" if plan else None,
        referring_organization_id=w.pcp_org.id,
        clinician_id=w.jane.id,
        created_by="user:1",
        patient_name="Test Patient",
        patient_birth_date=date(1980, 1, 1),
        reason="Low mood",
        sent_at=sent_at.astimezone(UTC),
    )
    db.session.add(referral)
    for kind, day, booked in [("send", 0, None), *steps]:
        # Stored in UTC, as the service does (SQLite would keep a local wall time as is).
        appointment = sent_at + timedelta(days=booked) if booked is not None else None
        appointment = appointment.astimezone(UTC) if appointment else None
        at = (sent_at + timedelta(days=day)).astimezone(UTC)
        referral.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                          actor_role="pcp", at=at, appointment_at=appointment)
        )  # fmt: skip


@pytest.fixture
def history(app):
    """Acme Gold 12 (11 booked and seen, 1 declined), Beacon 3 expired, 14 without a plan."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    w = build_world()
    for i in range(11):
        booked = 7 if i < 6 else 8
        steps = [("acknowledge", 1, None), ("accept", 1, None), ("schedule", 2, booked),
                 ("attend", booked, None)]  # fmt: skip
        _referral(w, "AcmeGold", steps)
    _referral(w, "AcmeGold", [("acknowledge", 1, None), ("decline", 2, None)])
    for _ in range(3):
        _referral(w, "BeaconPPO", [("acknowledge", 1, None), ("expire", 30, None)])
    for _ in range(13):
        _referral(w, None, [])
    # The last local day of the period is in; midnight after it is not.
    _referral(w, None, [], sent_at=datetime(2025, 3, 31, 23, 30, tzinfo=EASTERN))
    _referral(w, None, [], sent_at=datetime(2025, 4, 1, 0, 0, tzinfo=EASTERN))
    db.session.commit()
    return w


def _plain_python(start, end):
    """Stage counts per plan straight from the events, without the reporting code."""
    stages = {"send": "sent", "acknowledge": "acknowledged", "schedule": "scheduled",
              "attend": "attended", "decline": "declined", "no_show": "no_show",
              "expire": "expired"}  # fmt: skip
    counts = defaultdict(lambda: dict.fromkeys(stages.values(), 0))
    for referral in db.session.scalars(select(Referral)):
        sent = min(as_utc(e.at) for e in referral.events if e.type == "send").astimezone(EASTERN)
        if not start <= sent.date() <= end:
            continue
        for kind in {e.type for e in referral.events} & set(stages):
            counts[referral.plan_id or "unknown"][stages[kind]] += 1
    return dict(counts)


def test_sql_figures_match_plain_python(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    groups, total = funnel_figures(
        actor_for_user(admin.user), "plan", date(2025, 3, 1), date(2025, 3, 31), EASTERN
    )
    expected = _plain_python(date(2025, 3, 1), date(2025, 3, 31))
    assert {g["key"]: {c: g[c] for c in expected["AcmeGold"]} for g in groups} == expected
    assert expected["unknown"]["sent"] == 14
    assert expected["AcmeGold"] == {
        "sent": 12, "acknowledged": 12, "scheduled": 11, "attended": 11, "declined": 1,
        "no_show": 0, "expired": 0,
    }  # fmt: skip
    assert total["sent"] == 29
    assert total["median_days_to_appointment"] == 7
    assert total["share_appointment_within_10_business_days"] == 1.0


def test_report_withholds_small_cells_and_their_partners(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    body = admin.get(URL + "plan").get_json()
    rows = {g["key"]: g for g in body["groups"]}
    assert [rows[k]["sent"] for k in ("AcmeGold", "BeaconPPO", "unknown")] == [None, None, 14]
    assert [rows[k]["acknowledged"] for k in ("AcmeGold", "BeaconPPO", "unknown")] == [
        None, None, 0,
    ]  # fmt: skip
    assert rows["AcmeGold"]["scheduled"] == 11 and rows["AcmeGold"]["attended"] == 11
    assert rows["AcmeGold"]["declined"] is None and body["total"]["declined"] is None
    assert rows["BeaconPPO"]["expired"] is None and body["total"]["expired"] is None
    assert rows["AcmeGold"]["median_days_to_appointment"] is None  # its sent cell is withheld
    assert body["total"]["sent"] == 29 and body["total"]["scheduled"] == 11
    assert body["total"]["median_days_to_appointment"] == 7
    assert body["total"]["share_appointment_within_10_business_days"] == 1.0
    assert body["suppressed"] == 8
    assert "Test Patient" not in str(body) and "M1" not in str(body)


def test_each_access_is_audited(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    admin.get(URL + "urgency")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral_funnel")
    ).all()
    assert [(e.action, e.object_id) for e in events] == [("read", "urgency:2025-03-01:2025-03-31")]


def test_plan_staff_see_only_their_plans(app, history):
    staff = signed_in(app, "plan_staff", history.other_plan_org, plans=["BeaconPPO"])
    body = staff.get(URL + "plan").get_json()
    assert [g["key"] for g in body["groups"]] == ["BeaconPPO"]
    assert body["groups"][0]["sent"] is None and body["total"]["sent"] is None


def test_another_practice_sees_nothing_and_a_clinician_is_refused(app, history):
    other = signed_in(app, "pcp", history.other_pcp_org)
    assert other.get(URL + "plan").get_json()["groups"] == []
    jane = signed_in(app, "clinician", history.practice, npi=history.jane.npi)
    assert jane.get(URL + "plan").status_code == 403


def test_an_api_key_needs_the_analytics_scope(app, client, history, make_api_key):
    reader = make_api_key(history.pcp_org, ["analytics:read"])
    assert client.get(URL + "kind", headers=bearer(reader)).status_code == 200
    worker = make_api_key(history.pcp_org, ["referrals:read"])
    assert client.get(URL + "kind", headers=bearer(worker)).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-03-01&to=2025-03-31&group_by=ethnicity",
        "from=2025-03-01&to=2025-03-31&group_by=race",
        "from=2025-03-01&to=2025-03-31",
        "from=2025-03-31&to=2025-03-01&group_by=plan",
        "from=2025-01-01&to=2026-01-02&group_by=plan",
        "from=March&to=2025-03-31&group_by=plan",
    ],
)
def test_bad_group_or_period_is_400(app, history, query):
    admin = signed_in(app, "admin", history.pcp_org)
    assert admin.get("/api/v1/analytics/referrals?" + query).status_code == 400


def test_a_whole_leap_year_is_a_period(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    query = "from=2024-01-01&to=2024-12-31&group_by=plan"
    assert admin.get("/api/v1/analytics/referrals?" + query).status_code == 200
