"""GET /api/v1/registry and /registry/follow-up: scoped key, paging, bad input, no names in URLs."""

import pytest

from referrals.use_cases import local_today
from tests.referrals.world import PATIENT, bearer, build_world, referral_payload

PHQ9_18 = [2, 2, 2, 2, 2, 2, 2, 2, 2]
PHQ9_4 = [1, 1, 1, 1, 0, 0, 0, 0, 0]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def key(world, make_api_key):
    return make_api_key(world.pcp_org, scopes=("referrals:write", "registry:read"))


def _patient_with_scores(client, key, world, name, member, answers):
    patient = {**PATIENT, "name": name, "member_id": member}
    body = referral_payload(world, patient=patient)
    referral = client.post("/api/v1/referrals", json=body, headers=bearer(key)).get_json()
    for item in answers:
        screening = {"instrument": "phq9", "answers": item, "referral_id": referral["id"]}
        assert client.post("/api/v1/screenings", json=screening, headers=bearer(key)).status_code
    return referral


def test_the_registry_lists_episodes_by_latest_score_with_links(client, world, key):
    first = _patient_with_scores(client, key, world, "Ana Ruiz", "ACME1", [PHQ9_18, PHQ9_4])
    _patient_with_scores(client, key, world, "Eva Stone", "ACME2", [PHQ9_18])

    response = client.get("/api/v1/registry?limit=1", headers=bearer(key))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["limit"], body["offset"], body["instrument"]) == (2, 1, 0, "phq9")
    assert body["as_of"] == local_today().isoformat()
    row = body["results"][0]
    assert (row["patient"]["name"], row["latest"]["score"], row["change"]) == ("Eva Stone", 18, 0)
    assert row["follow_up"]["status"] == "open"
    assert body["next"] == "/api/v1/registry?limit=1&offset=1"
    assert 'rel="next"' in response.headers["Link"]
    remission = client.get("/api/v1/registry?flag=remission", headers=bearer(key)).get_json()
    assert [r["episode_id"] for r in remission["results"]] == [first["episode_id"]]
    assert remission["results"][0]["flags"] == ["remission"]


def test_a_key_without_the_registry_scope_is_refused(client, world, make_api_key):
    other = make_api_key(world.pcp_org, scopes=("referrals:read",))

    assert client.get("/api/v1/registry", headers=bearer(other)).status_code == 403
    assert client.get("/api/v1/registry").status_code == 401


@pytest.mark.parametrize(
    "query, field",
    [("flag=sad", "flag"), ("instrument=isi", "instrument"), ("limit=101", "limit")],
)
def test_bad_arguments_are_a_400_naming_the_argument(client, world, key, query, field):
    response = client.get(f"/api/v1/registry?{query}", headers=bearer(key))

    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


def test_follow_up_counts(client, world, key):
    _patient_with_scores(client, key, world, "Ana Ruiz", "ACME1", [PHQ9_18])
    _patient_with_scores(client, key, world, "Eva Stone", "ACME2", [PHQ9_4])

    body = client.get("/api/v1/registry/follow-up", headers=bearer(key)).get_json()

    assert body == {
        "as_of": local_today().isoformat(),
        "window_days": 30,
        "instruments": {
            "phq9": {"met": 0, "missed": 0, "open": 1},
            "gad7": {"met": 0, "missed": 0, "open": 0},
        },
    }
