"""A referral declined as "not accepting" or "not in network" feeds the correction queue."""

import pytest
from sqlalchemy import select

from corrections.models import CorrectionItem
from tests.referrals.world import referral_payload


def _declined(pcp, jane_client, world, reason: str) -> int:
    created = pcp.post("/api/v1/referrals", json=referral_payload(world))
    assert created.status_code == 201
    rid = created.get_json()["id"]
    for client, body in (
        (pcp, {"type": "send"}),
        (jane_client, {"type": "acknowledge"}),
        (jane_client, {"type": "decline", "reason": reason, "note": "full caseload"}),
    ):
        response = client.post(f"/api/v1/referrals/{rid}/events", json=body)
        assert response.status_code == 200, response.get_json()
    return rid


@pytest.mark.parametrize(
    ("reason", "problem", "plan"),
    [
        ("not_accepting_new_patients", "not_accepting", None),
        ("not_in_network", "not_in_plan", "AcmeGold"),
    ],
)
def test_a_listing_decline_opens_a_queue_item(pcp, jane_client, world, db, reason, problem, plan):
    rid = _declined(pcp, jane_client, world, reason)

    item = db.session.scalars(select(CorrectionItem)).one()
    assert (item.kind, item.problem, item.plan_id, item.referral_id) == (
        "decline",
        problem,
        plan,
        rid,
    )
    assert (item.clinician_id, item.status, item.filed_by) == (world.jane.id, "open", "system")


def test_a_decline_for_another_reason_files_nothing(pcp, jane_client, world, db):
    _declined(pcp, jane_client, world, "not_clinical_fit")

    assert db.session.scalars(select(CorrectionItem)).all() == []
