"""Scenarios on the real Plan-Net IG examples, loaded by the Plan-Net loader, through the API.

The one behavioral-health clinician there is the Counselor: Susie Smith, LPC (NPI 9941339100),
Russian-speaking, licensed in Illinois only, telehealth only (VirtualCounselService), in the
AcmeofCTStdNet network that plans AcmeQHPBronze and AcmeQHPGold use; last updated 2020-07-07.
"""

import json
from pathlib import Path

import pytest

from ingest.plan_net import load_plan_net
from ingest.report import RejectReport

IG_EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "plan-net" / "ig-examples"
CHICAGO, HARTFORD = "60601", "06103"
RUSSIAN = {"languages": ["ru"], "required": ["languages"]}


@pytest.fixture
def plan_net(db, tmp_path):
    """The IG examples, loaded as an operator would."""
    load_plan_net(IG_EXAMPLES, RejectReport(tmp_path / "rejects.csv"))


def match(client, **needs):
    response = client.post(
        "/api/v1/matches", data=json.dumps(needs), content_type="application/json"
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_russian_speaking_counselor_in_plan_by_telehealth_in_illinois(client, plan_net):
    body = match(
        client, postal_code=CHICAGO, plan="AcmeQHPBronze", modality="telehealth", **RUSSIAN
    )

    assert body["total"] == 1
    (susie,) = body["results"]
    assert (susie["npi"], susie["name"], susie["credentials"]) == (
        "9941339100",
        "Susie Smith",
        ["LPC"],
    )
    assert (susie["visit"], susie["location"], susie["distance_miles"]) == (
        "telehealth",
        None,
        None,
    )
    assert susie["languages"] == ["ru"]
    assert susie["plans"] == ["AcmeofCTStdNet"]
    assert susie["accepting_new_patients"] is None
    assert susie["last_verified"].startswith("2020-07-07T13:26:22")
    assert [(r["code"], r["value"]) for r in susie["reasons"]] == [
        ("telehealth", "IL"),
        ("plan", "AcmeQHPBronze"),
        ("language", ["ru"]),
    ]
    assert susie["stale"] is True
    assert [n["code"] for n in susie["notices"]] == ["stale", "accepting_unknown"]


def test_no_telehealth_match_without_a_license_in_the_patients_state(client, plan_net):
    body = match(
        client, postal_code=HARTFORD, plan="AcmeQHPBronze", modality="telehealth", **RUSSIAN
    )

    assert (body["total"], body["results"], body["relaxations"]) == (0, [], [])
    assert body["relaxation_summary"] == "0 Russian-speaking clinicians by telehealth"


def test_an_in_person_search_suggests_telehealth_with_the_count(client, plan_net):
    body = match(client, postal_code=CHICAGO, plan="AcmeQHPGold", **RUSSIAN)

    assert body["total"] == 0
    assert body["relaxations"] == [
        {"relax": "modality", "value": "telehealth", "count": 1, "text": "1 by telehealth"}
    ]
    assert body["relaxation_summary"] == (
        "0 Russian-speaking clinicians within 25 mi; 1 by telehealth"
    )


@pytest.mark.parametrize(
    ("plan", "found"),
    [("AcmeQHPGold", 1), ("AcmeofCTStdNet", 1), ("AcmeofCTPremNet", 0)],
)
def test_plan_and_network_scope(client, plan_net, plan, found):
    body = match(client, postal_code=CHICAGO, plan=plan, modality="either")

    assert body["total"] == found


@pytest.mark.parametrize(
    ("specialty", "found"),
    [("101Y00000X", 1), ("101YP2500X", 1), ("103T00000X", 0)],
)
def test_a_classification_includes_its_specializations(client, plan_net, specialty, found):
    body = match(client, postal_code=CHICAGO, modality="telehealth", specialties=[specialty])

    assert body["total"] == found
    if found:
        assert ("specialty", ["101YP2500X"]) in [
            (r["code"], r["value"]) for r in body["results"][0]["reasons"]
        ]


def test_unknown_plan_is_a_field_error(client, plan_net):
    response = client.post(
        "/api/v1/matches",
        data=json.dumps({"postal_code": CHICAGO, "plan": "AcmeQHPPlatinum"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["plan"]
