"""A new worker reads the places of the plans and states reported in the last 30 days."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from adequacy import cache, use_cases, warm
from audit.log import record
from audit.models import AuditEvent
from directory.extensions import db
from tests.referrals.world import signed_in

URL = "/api/v1/analytics/adequacy?plan=AcmeGold&state=RI"


@pytest.fixture
def reads(monkeypatch):
    """The `clinicians` argument of every places read: None for a full one."""
    seen = []
    real = use_cases.provider_points

    def spy(connection, network_ids, box, clinicians=None):
        seen.append(clinicians)
        return real(connection, network_ids, box, clinicians)

    monkeypatch.setattr(use_cases, "provider_points", spy)
    return seen


def _reported(app, world) -> AuditEvent:
    """A served report, its places then forgotten as a new worker would start."""
    assert signed_in(app, "admin", world.pcp_org).get(URL).status_code == 200
    cache._KEPT.clear()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "network_adequacy")
    ).one()


def test_a_warmed_worker_serves_its_first_report_without_reading(app, world, reads):
    _reported(app, world)
    reads.clear()
    warm.warm(app).join(timeout=60)
    assert reads == [None]  # the warm-up's one full read
    body = signed_in(app, "admin", world.pcp_org).get(URL).get_json()
    assert reads == [None]
    rows = {(r["name"], r["specialty"]): r["providers"] for r in body["counties"]}
    assert rows[("Bristol", "Clinical Social Work")] == 1


def test_recent_reports_newest_first_distinct_and_only_served_ones(app, world):
    _reported(app, world)
    for plan_state, outcome in (("BeaconPPO:RI", "ok"), ("AcmeGold:MA", "denied"),
                                ("AcmeGold:RI", "ok"), ("Acme:Gold:MA", "ok"),
                                ("nocolon", "ok"), ("AcmeGold:ZZ", "ok")):  # fmt: skip
        record(None, "read", "network_adequacy", plan_state, outcome=outcome)
    db.session.commit()
    # Newest first; the denied, the malformed and an unknown state are passed over.
    assert warm.recent_reports() == [("Acme:Gold", "MA"), ("AcmeGold", "RI"), ("BeaconPPO", "RI")]
    assert warm.recent_reports(limit=1) == [("Acme:Gold", "MA")]


def test_a_report_exactly_30_days_old_still_warms_and_not_a_moment_older(app, world, monkeypatch):
    at = _reported(app, world).at
    monkeypatch.setattr(warm, "utcnow", lambda: at + timedelta(days=30))
    assert warm.recent_reports() == [("AcmeGold", "RI")]
    monkeypatch.setattr(warm, "utcnow", lambda: at + timedelta(days=30, microseconds=1))
    assert warm.recent_reports() == []


def test_a_plan_gone_since_is_skipped_and_off_means_no_thread(app, world, reads):
    record(None, "read", "network_adequacy", "GonePlan:RI")
    db.session.commit()
    warm.warm(app).join(timeout=60)
    assert reads == []
    app.config["ADEQUACY_WARM"] = False
    assert warm.warm(app) is None
