"""POST /api/v1/clinicians/{npi}/reports: public, no sign-in, rate limited per address."""

import pytest
from sqlalchemy import select

from corrections.models import CorrectionItem
from tests.referrals.world import build_world


@pytest.fixture
def world(app):
    """Two listed clinicians (Jane and Omar)."""
    return build_world()


def test_anyone_can_report_a_problem_without_signing_in(client, world, db):
    response = client.post(
        f"/api/v1/clinicians/{world.jane.npi}/reports",
        json={"problem": "not_accepting", "details": "Told me their list is closed"},
        environ_base={"REMOTE_ADDR": "198.51.100.4"},
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["problem"] == "not_accepting"
    assert set(body) == {"problem", "received_at", "update_due_at"}
    item = db.session.scalars(select(CorrectionItem)).one()
    assert (item.kind, item.clinician_id, item.filed_by) == ("report", world.jane.id, "anonymous")
    assert item.reporter_ref.startswith("addr-hmac:")
    assert "198.51.100.4" not in item.reporter_ref


def test_an_unknown_problem_or_listing_is_refused(client, world, db):
    bad = client.post(f"/api/v1/clinicians/{world.jane.npi}/reports", json={"problem": "rude"})
    missing = client.post("/api/v1/clinicians/1234567893/reports", json={"problem": "moved"})
    too_long = client.post(
        f"/api/v1/clinicians/{world.jane.npi}/reports",
        json={"problem": "other", "details": "x" * 501},
    )

    assert (bad.status_code, missing.status_code, too_long.status_code) == (400, 404, 400)
    assert "problem" in bad.get_json()["errors"]
    assert db.session.scalars(select(CorrectionItem)).all() == []


def test_the_report_operation_is_documented_and_public(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/clinicians/{npi}/reports"]["post"]
    assert operation.get("security") in (None, [])
    assert "201" in operation["responses"]
    assert "429" in operation["responses"]


@pytest.fixture
def limited(limited_client, world):
    """An app with limits on: two reports per address per hour."""
    return limited_client(
        PROBLEM_REPORT_RATE_LIMIT="2/hour",
    )


def test_reports_are_rate_limited_per_address(limited, world):
    path = f"/api/v1/clinicians/{world.jane.npi}/reports"

    def send(address: str) -> int:
        response = limited.post(
            path, json={"problem": "moved"}, environ_base={"REMOTE_ADDR": address}
        )
        return response.status_code

    assert [send("192.0.2.1") for _ in range(3)] == [201, 201, 429]
    assert send("192.0.2.2") == 201
