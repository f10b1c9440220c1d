"""POST /api/v1/screenings and GET /api/v1/screenings/instruments: scored, stored, audited."""

import logging

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.models import Referral
from screening.models import ScreeningResult
from tests.referrals.world import bearer, build_world, referral_payload

URL = "/api/v1/screenings"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def pcp_key(world, make_api_key):
    """Riverside Primary Care's key, allowed to write referrals."""
    return make_api_key(world.pcp_org, scopes=("referrals:read", "referrals:write"))


def _audit(db, object_type: str) -> list[tuple[str, str, str | None]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def _referral(client, key, world) -> int:
    response = client.post("/api/v1/referrals", json=referral_payload(world), headers=bearer(key))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_instruments_are_listed_publicly_from_the_data_files(client):
    response = client.get(URL + "/instruments")

    assert response.status_code == 200
    items = {i["id"]: i for i in response.get_json()["items"]}
    assert sorted(items) == ["ahc_hrsn", "auditc", "gad2", "gad7", "isi", "phq2", "phq9", "phqa"]
    assert items["phq9"]["loinc"] == "44249-1"
    assert items["phq9"]["items"][8]["answers"][1] == {
        "value": 1,
        "code": "LA6569-3",
        "display": "Several days",
    }
    assert items["gad7"]["bands"][-1] == {"min": 15, "max": 21, "name": "severe"}
    assert items["ahc_hrsn"]["questionnaire"]["resourceType"] == "Questionnaire"


def test_scoring_needs_a_key_with_the_write_scope(client, world, make_api_key):
    reader = make_api_key(world.pcp_org, scopes=("referrals:read",))
    body = {"instrument": "phq2", "answers": [1, 1]}

    assert client.post(URL, json=body).status_code == 401
    assert client.post(URL, json=body, headers=bearer(reader)).status_code == 403


def test_a_phq9_with_item_9_is_scored_stored_audited_and_puts_crisis_guidance_first(
    client, db, pcp_key, caplog
):
    caplog.set_level(logging.DEBUG)
    body = {"instrument": "phq9", "answers": [2, 2, 2, 2, 2, 2, 1, 1, 1]}

    response = client.post(URL, json=body, headers=bearer(pcp_key))

    assert response.status_code == 201, response.get_data(as_text=True)
    found = response.get_json()
    assert found["instrument"] == "phq9"
    assert (found["score"], found["severity"]) == (15, "moderately severe")
    assert (found["positive"], found["crisis"], found["needs"]) == (True, True, [])
    assert found["guidance"][0]["flag"] == "crisis"
    assert found["guidance"][0]["audience"] == "clinician"
    assert "warm-transfer to 988" in found["guidance"][0]["message"]
    assert [o["code"]["coding"][0]["code"] for o in found["observations"]][-1] == "44261-6"
    assert found["questionnaire_response"]["resourceType"] == "QuestionnaireResponse"
    stored = db.session.get(ScreeningResult, found["id"])
    assert (stored.score, stored.referral_id) == (15, None)
    assert stored.answers == [2, 2, 2, 2, 2, 2, 1, 1, 1]
    assert _audit(db, "screening") == [("create", "ok", str(found["id"]))]
    # A screening result is PHI: nothing of it reaches the logs.
    assert "moderately severe" not in caplog.text and "44260-8" not in caplog.text


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0]},
            {"answers": ["item 9 (/44260-8) is missing (phq9 has 9 items; 8 answers given)"]},
        ),
        (
            {"instrument": "gad7", "answers": [0, 0, 0, 4, 0, 0, 0]},
            {"answers": {"3": ["item 4 (/69734-2): 4 is not one of 0, 1, 2, 3"]}},
        ),
        (
            {"instrument": "ahc_hrsn", "answers": [0, 0, 0, 0, 0, 0, 1, 1, 1]},
            {"answers": ["item 10 (/95615-1) is missing (ahc_hrsn has 10 items; 9 answers given)"]},
        ),
        (
            {"instrument": "ahc_hrsn", "answers": [0, 0, 3, 0, 0, 0, 0, 1, 1, 1]},
            {
                "answers": {
                    "2": ["item 3 (/88122-7): 3 is not one of 0, 1, 2"],
                    "6": ["item 7 (/95618-5): 0 is not one of 1, 2, 3, 4, 5"],
                }
            },
        ),
        (
            {"instrument": "phq10", "answers": [0]},
            {
                "instrument": [
                    "Must be one of: ahc_hrsn, auditc, gad2, gad7, isi, phq2, phq9, phqa."
                ]
            },
        ),
        (
            {"instrument": "phq2", "answers": [1, "2"]},
            {"answers": {"1": ["Not a valid integer."]}},
        ),
        (
            {"instrument": "auditc", "answers": [1, 1, 1], "sex": "other"},
            {"sex": ["Must be one of: female, male."]},
        ),
    ],
)
def test_bad_answers_are_a_400_naming_the_item_and_audited(client, db, pcp_key, body, errors):
    response = client.post(URL, json=body, headers=bearer(pcp_key))

    assert response.status_code == 400
    assert response.get_json()["errors"] == errors
    assert db.session.scalar(select(ScreeningResult.id)) is None
    assert _audit(db, "screening") == [("create", "invalid", None)]


def test_an_auditc_attached_to_a_referral_is_not_labelled_part2(client, db, world, pcp_key):
    referral_id = _referral(client, pcp_key, world)
    body = {"instrument": "auditc", "answers": [4, 3, 3], "sex": "female"}
    body["referral_id"] = referral_id

    response = client.post(URL, json=body, headers=bearer(pcp_key))

    assert response.status_code == 201, response.get_data(as_text=True)
    found = response.get_json()
    assert (found["score"], found["positive"], found["referral_id"]) == (10, True, referral_id)
    referral = db.session.get(Referral, referral_id)
    assert (referral.part2, referral.part2_basis) == (False, [])
    assert db.session.get(ScreeningResult, found["id"]).referral_id == referral_id
    assert ("update", "ok", str(referral_id)) in _audit(db, "referral")


def test_another_organizations_referral_is_not_found_and_audited_as_denied(
    client, db, world, pcp_key, make_api_key
):
    referral_id = _referral(client, pcp_key, world)
    other = make_api_key(world.other_pcp_org, scopes=("referrals:write",))
    body = {"instrument": "phq2", "answers": [3, 3], "referral_id": referral_id}

    response = client.post(URL, json=body, headers=bearer(other))

    assert response.status_code == 404
    assert db.session.scalar(select(ScreeningResult.id)) is None
    assert _audit(db, "referral")[-1] == ("update", "denied", str(referral_id))


def test_ahc_needs_come_back_with_safety_first(client, pcp_key):
    body = {"instrument": "ahc_hrsn", "answers": [1, 0, 2, 0, 1, 0, 5, 3, 2, 1]}

    response = client.post(URL, json=body, headers=bearer(pcp_key))

    found = response.get_json()
    assert (found["score"], found["positive"], found["crisis"]) == (11, True, False)
    assert found["needs"] == ["safety", "housing", "food", "transportation"]
    assert [g["flag"] for g in found["guidance"]] == ["safety_first"]
    phones = [r["phone"] for r in found["guidance"][0]["resources"]]
    assert phones == ["1-800-799-7233", "988", "911"]
    assert found["guidance"][0]["resources"][0]["text_word"] == "START"


def test_attached_screenings_travel_in_the_referral_bundle_as_supporting_info(
    client, db, world, pcp_key
):
    referral_id = _referral(client, pcp_key, world)
    body = {"instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 0]}
    body["referral_id"] = referral_id
    result_id = client.post(URL, json=body, headers=bearer(pcp_key)).get_json()["id"]

    response = client.get(f"/api/v1/referrals/{referral_id}/fhir", headers=bearer(pcp_key))

    assert response.status_code == 200
    entries = response.get_json()["entry"]
    kinds = [e["resource"]["resourceType"] for e in entries]
    assert kinds.count("QuestionnaireResponse") == 1
    assert kinds.count("Observation") == 10
    request = next(
        e["resource"] for e in entries if e["resource"]["resourceType"] == "ServiceRequest"
    )
    response_url = next(
        e["fullUrl"] for e in entries if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert request["supportingInfo"] == [{"reference": response_url}]
    total = [e["resource"] for e in entries if e["resource"]["resourceType"] == "Observation"][-1]
    assert (total["code"]["coding"][0]["code"], total["valueInteger"]) == ("44261-6", 8)
    assert ("read", "ok", str(result_id)) in _audit(db, "screening")


def test_a_reader_content_is_withheld_from_gets_no_screenings(db, world, pcp_key, client):
    from datetime import UTC, date, datetime

    from referrals.fhir import referral_bundle
    from screening.results import attached_to

    referral_id = _referral(client, pcp_key, world)
    body = {"instrument": "gad2", "answers": [3, 3], "referral_id": referral_id}
    client.post(URL, json=body, headers=bearer(pcp_key))
    referral = db.session.get(Referral, referral_id)
    screenings = attached_to(referral_id)
    now = datetime(2026, 12, 4, tzinfo=UTC)

    bare = referral_bundle(referral, date(2026, 12, 4), now, ("patient",), screenings)
    full = referral_bundle(referral, date(2026, 12, 4), now, (), screenings)

    assert len(screenings) == 1
    assert [e.resource.get_resource_type() for e in bare.entry] == ["ServiceRequest", "Task"]
    assert "QuestionnaireResponse" in [e.resource.get_resource_type() for e in full.entry]
