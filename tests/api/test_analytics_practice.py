"""The analytics API for a practice manager: their practice only, audited, no plan reports."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from tests.referrals.practice_world import PERIOD, build_practice_history
from tests.referrals.world import signed_in

FUNNEL = f"/api/v1/analytics/referrals?{PERIOD}&group_by="


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_practice_history()


def _audited(object_type: str) -> list[tuple[str, str, str, str]]:
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(e.actor, e.action, e.object_id, e.outcome) for e in events]


def test_a_referring_practice_gets_its_counts_with_small_cells_withheld(app, history):
    riverside = signed_in(app, "practice_manager", history.pcp_org)
    body = riverside.get(FUNNEL + "plan").get_json()
    assert [g["key"] for g in body["groups"]] == ["AcmeGold"]
    row = body["groups"][0]
    assert (row["sent"], row["acknowledged"], row["declined"]) == (12, 11, None)
    assert (body["total"]["sent"], body["total"]["declined"]) == (12, None)
    assert body["suppressed"] == 2
    assert "Test Patient" not in str(body) and "M1" not in str(body)
    label = f"user:{riverside.user.id}"
    assert _audited("referral_funnel") == [(label, "read", "plan:2025-03-01:2025-03-31", "ok")]


def test_the_other_practice_s_referrals_to_the_same_clinician_stay_out(app, history):
    riverside = signed_in(app, "practice_manager", history.pcp_org)
    jane = str(history.jane.id)
    rows = riverside.get(FUNNEL + "clinician").get_json()["groups"]
    assert [(g["key"], g["sent"]) for g in rows] == [(jane, 12)]
    harbor = signed_in(app, "practice_manager", history.practice)
    rows = harbor.get(FUNNEL + "clinician").get_json()["groups"]
    assert [(g["key"], g["sent"]) for g in rows] == [(jane, 25)]


def test_the_directory_report_is_the_practice_s_clinicians(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    body = harbor.get(f"/api/v1/analytics/directory?{PERIOD}").get_json()
    assert body["verification"]["listings"] == 1
    assert [(c["npi"], c["referrals"]) for c in body["responsiveness"]["clinicians"]] == [
        (history.jane.npi, 25)
    ]
    assert _audited("directory_accuracy") == [
        (f"user:{harbor.user.id}", "read", "2025-03-01:2025-03-31", "ok")
    ]


def test_adequacy_is_refused_and_the_attempt_audited(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    response = harbor.get("/api/v1/analytics/adequacy?plan=AcmeGold&state=MA")
    assert response.status_code == 403
    assert response.get_json()["detail"] == (
        "network adequacy is reported per plan, for plans and administrators"
    )
    assert _audited("network_adequacy") == [
        (f"user:{harbor.user.id}", "read", "AcmeGold", "denied")
    ]


def test_referrals_and_the_registry_are_not_theirs(app, history):
    harbor = signed_in(app, "practice_manager", history.practice)
    for path in ("/api/v1/referrals", "/api/v1/registry"):
        assert harbor.get(path).status_code == 403, path
