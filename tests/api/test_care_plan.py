"""The care plan API: add members, goals and tasks, read as each member may, FHIR, errors."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from tests.referrals.world import bearer, build_world, referral_payload


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def pcp_key(world, make_api_key):
    return make_api_key(world.pcp_org, scopes=("referrals:read", "referrals:write"))


@pytest.fixture
def jane_key(world, make_api_key):
    return make_api_key(world.practice, scopes=("referrals:read", "referrals:write"))


def _episode(client, key, world) -> int:
    response = client.post("/api/v1/referrals", json=referral_payload(world), headers=bearer(key))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["episode_id"]


def _post(client, key, path, body):
    return client.post(f"/api/v1{path}", json=body, headers=bearer(key))


def test_the_practice_builds_a_plan_and_reads_it_back(client, world, pcp_key):
    eid = _episode(client, pcp_key, world)
    member = _post(
        client,
        pcp_key,
        f"/episodes/{eid}/care-team",
        {"role": "bh_clinician", "npi": world.jane.npi},
    )
    assert member.status_code == 201
    jane = member.get_json()
    goal = _post(client, pcp_key, f"/episodes/{eid}/goals", {"text": "Feel like myself again"})
    task_body = {"description": "Book first visit", "owner_id": jane["id"], "due_on": "2026-12-18"}
    task = _post(client, pcp_key, f"/episodes/{eid}/tasks", task_body)
    assert (goal.status_code, task.status_code) == (201, 201)

    response = client.get(f"/api/v1/episodes/{eid}/care-plan", headers=bearer(pcp_key))

    assert response.status_code == 200
    body = response.get_json()
    assert body["disclosure"] == {"content": True, "part2": True, "problems": {}}
    assert [(m["role"], m["role_label"], m["name"]) for m in body["care_team"]] == [
        ("bh_clinician", "Behavioral health clinician", "Jane Smith, LICSW")
    ]
    assert [(g["text"], g["status"], g["withheld"]) for g in body["goals"]] == [
        ("Feel like myself again", "active", [])
    ]
    assert [
        (t["description"], t["owner_name"], t["due_on"], t["status"]) for t in body["tasks"]
    ] == [("Book first visit", "Jane Smith, LICSW", "2026-12-18", "open")]


def test_a_part2_goal_is_withheld_from_a_member_without_consent(client, world, pcp_key, jane_key):
    eid = _episode(client, pcp_key, world)
    _post(
        client,
        pcp_key,
        f"/episodes/{eid}/care-team",
        {"role": "bh_clinician", "npi": world.jane.npi},
    )
    _post(client, pcp_key, f"/episodes/{eid}/goals", {"text": "Keep going to my methadone clinic"})
    # The practice's API key acts for its organization: the org member row below lets it in.
    _post(
        client,
        pcp_key,
        f"/episodes/{eid}/care-team",
        {"role": "community_program", "organization_id": world.practice.id},
    )

    body = client.get(f"/api/v1/episodes/{eid}/care-plan", headers=bearer(jane_key)).get_json()

    [goal] = body["goals"]
    assert (goal["text"], goal["part2"], goal["withheld"]) == (None, True, ["text"])
    assert body["disclosure"]["part2"] is False
    assert "part2_notice" not in body


def test_patching_a_task_to_done_records_when(client, world, pcp_key):
    eid = _episode(client, pcp_key, world)
    jane = _post(
        client,
        pcp_key,
        f"/episodes/{eid}/care-team",
        {"role": "bh_clinician", "npi": world.jane.npi},
    ).get_json()
    task = _post(
        client,
        pcp_key,
        f"/episodes/{eid}/tasks",
        {"description": "Call patient", "owner_id": jane["id"], "due_on": "2026-12-11"},
    ).get_json()

    response = client.patch(
        f"/api/v1/episodes/{eid}/tasks/{task['id']}",
        json={"status": "done"},
        headers=bearer(pcp_key),
    )

    assert response.status_code == 200
    assert response.get_json()["status"] == "done"
    assert response.get_json()["done_at"] is not None


def test_removing_a_member_with_open_tasks_is_409(client, world, pcp_key):
    eid = _episode(client, pcp_key, world)
    jane = _post(
        client,
        pcp_key,
        f"/episodes/{eid}/care-team",
        {"role": "bh_clinician", "npi": world.jane.npi},
    ).get_json()
    _post(
        client,
        pcp_key,
        f"/episodes/{eid}/tasks",
        {"description": "Call patient", "owner_id": jane["id"], "due_on": "2026-12-11"},
    )

    response = client.delete(
        f"/api/v1/episodes/{eid}/care-team/{jane['id']}", headers=bearer(pcp_key)
    )

    assert response.status_code == 409


def test_bad_input_is_400_naming_the_field(client, world, pcp_key):
    eid = _episode(client, pcp_key, world)

    response = _post(client, pcp_key, f"/episodes/{eid}/care-team", {"role": "wizard"})

    assert response.status_code == 400
    assert "role" in response.get_json()["errors"]


def test_another_organization_gets_404_audited(client, db, world, pcp_key, make_api_key):
    eid = _episode(client, pcp_key, world)
    other = make_api_key(world.other_pcp_org, scopes=("referrals:read", "referrals:write"))

    read = client.get(f"/api/v1/episodes/{eid}/care-plan", headers=bearer(other))
    write = _post(client, other, f"/episodes/{eid}/goals", {"text": "x"})

    assert (read.status_code, write.status_code) == (404, 404)
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "denied"))
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        ("read", "care_plan", str(eid)),
        ("create", "care_plan_goal", str(eid)),
    ]


def test_the_fhir_bundle_is_served_as_fhir_json(client, world, pcp_key):
    eid = _episode(client, pcp_key, world)

    response = client.get(f"/api/v1/episodes/{eid}/care-plan/fhir", headers=bearer(pcp_key))

    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    types = [e["resource"]["resourceType"] for e in response.get_json()["entry"]]
    assert types == ["Patient", "CarePlan", "CareTeam"]
