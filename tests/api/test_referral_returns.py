"""POST/GET /api/v1/referrals/{id}/returns: the clinician's structured return over the API."""

import pytest

from tests.referrals.world import (
    bearer,
    build_world,
    part2_consent,
    referral_payload,
    signed_in,
)

RETURN = {
    "diagnoses": ["F33.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 mg", "rxnorm": "312940"},
        {"change": "changed", "name": "trazodone, now 50 mg at night"},
    ],
    "treatment": "CBT weekly",
    "next_appointment_at": "2031-01-06T15:00:00Z",
    "scores": [{"instrument": "phq9", "score": 14}],
    "note": "Improving.",
}


@pytest.fixture
def world(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast sign-ins in tests
    return build_world()


def _acknowledged(pcp, jane, body) -> int:
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    rid = created.get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    moved = jane.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    assert moved.status_code == 200
    return rid


@pytest.fixture
def rid(pcp, jane, world):
    return _acknowledged(pcp, jane, referral_payload(world))


def test_the_clinician_posts_a_return_and_the_pcp_reads_it(pcp, jane, rid):
    posted = jane.post(f"/api/v1/referrals/{rid}/returns", json=RETURN)

    assert posted.status_code == 201
    body = posted.get_json()
    assert (body["referral_id"], body["referral_status"], body["withheld"]) == (
        rid,
        "acknowledged",
        False,
    )
    assert [(m["name"], m["rxnorm"], m["coded"]) for m in body["medications"]] == [
        ("sertraline 50 mg", "312940", True),
        ("trazodone, now 50 mg at night", None, False),
    ]
    assert body["scores"] == [
        {
            "instrument": "phq9",
            "answers": None,
            "score": 14,
            "severity": "moderate",
            "positive": True,
            "crisis": False,
        }
    ]
    assert body["next_appointment_at"] == "2031-01-06T15:00:00+00:00"
    listed = pcp.get(f"/api/v1/referrals/{rid}/returns").get_json()
    assert [(r["id"], r["diagnoses"], r["note"]) for r in listed["items"]] == [
        (body["id"], ["F33.1"], "Improving.")
    ]
    referral = pcp.get(f"/api/v1/referrals/{rid}").get_json()
    step = next(c for c in referral["checklist"] if c["item"] == "treatment_info_requested")
    assert (step["done"], step["done_by"]) == (True, jane.user.label)


def test_a_bad_field_is_a_400_naming_it(jane, rid):
    bad = {"diagnoses": ["F33.1", "depression"], "scores": [{"instrument": "gad7", "score": 22}]}

    response = jane.post(f"/api/v1/referrals/{rid}/returns", json=bad)

    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "diagnoses": {"1": ["Not an ICD-10-CM code (e.g. F41.1)."]}
    }
    scored = jane.post(f"/api/v1/referrals/{rid}/returns", json={"scores": bad["scores"]})
    assert scored.status_code == 400
    assert scored.get_json()["errors"] == {
        "scores": {"0": {"score": ["gad7 totals range from 0 to 21; 22 given"]}}
    }


def test_a_body_that_is_not_an_object_is_a_400(jane, rid):
    response = jane.post(f"/api/v1/referrals/{rid}/returns", json=["F33.1"])

    assert response.status_code == 400


def test_outside_the_care_relationship_is_a_404(app, world, rid):
    omar = signed_in(app, "clinician", world.other_practice, npi=world.omar.npi)

    assert omar.post(f"/api/v1/referrals/{rid}/returns", json=RETURN).status_code == 404
    assert omar.get(f"/api/v1/referrals/{rid}/returns").status_code == 404


def test_the_pcp_may_not_post_a_return(pcp, rid):
    response = pcp.post(f"/api/v1/referrals/{rid}/returns", json=RETURN)

    assert response.status_code == 403


def test_a_return_before_acknowledgment_is_a_409(pcp, jane, world):
    created = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()
    pcp.post(f"/api/v1/referrals/{created['id']}/events", json={"type": "send"})

    response = jane.post(f"/api/v1/referrals/{created['id']}/returns", json=RETURN)

    assert response.status_code == 409


def test_the_practice_staff_key_may_post_a_return(world, jane, rid, make_api_key):
    # A key of Jane's practice acts for the practice's clinicians (Jane's user is one).
    key = make_api_key(world.practice, scopes=("referrals:read", "referrals:write"))

    response = jane.application.test_client().post(
        f"/api/v1/referrals/{rid}/returns", json={"note": "Booked"}, headers=bearer(key)
    )

    assert response.status_code == 201
    assert response.get_json()["created_by_role"] == "partner"


def test_a_part2_return_is_withheld_from_the_pcp_without_its_content(pcp, jane, world):
    body = referral_payload(world, diagnoses=["F11.20"], consent=part2_consent(world))
    rid = _acknowledged(pcp, jane, body)
    jane.post(f"/api/v1/referrals/{rid}/returns", json={"medications": [
        {"change": "started", "name": "buprenorphine-naloxone 8/2 mg"}
    ]})  # fmt: skip

    [item] = pcp.get(f"/api/v1/referrals/{rid}/returns").get_json()["items"]

    assert (item["part2"], item["withheld"]) == (True, True)
    assert "medications" not in item and "note" not in item
    assert list(item["problems"]) == ["recipients"]
    [own] = jane.get(f"/api/v1/referrals/{rid}/returns").get_json()["items"]
    assert own["part2_basis"] == ["medications:buprenorphine"]
    assert own["part2_notice"].startswith("This record which has been disclosed to you")
