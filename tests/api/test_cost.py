"""Cost in the API: match results and clinician resources carry values, sources and ages."""

from datetime import UTC, datetime

import pytest

from directory.cost import Cost
from directory.cost_facts import set_cost
from tests.matching.match_directory import add_clinician, add_location

SAID = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def two_in_boston(db):
    """One clinician who told us their cost, one who never did."""
    boston = add_location(42.35, -71.07, state="MA", postal_code="02116")
    told = add_clinician(1, [boston], first_name="Told")
    add_clinician(2, [boston], first_name="Silent")
    db.session.flush()
    cost = Cost(fee_min=60, fee_max=120, sliding_scale=True, medicaid=False)
    set_cost(told, cost, "self_reported", observed_at=SAID)
    db.session.commit()
    return told.npi


def _results(client, **needs):
    response = client.post("/api/v1/matches", json={"postal_code": "02139", **needs})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {r["name"].split()[0]: r for r in response.get_json()["results"]}


def test_a_result_carries_its_cost_with_each_values_source(client, two_in_boston):
    told = _results(client)["Told"]["cost"]
    assert told["known"] is True
    assert told["accepts"] == ["uninsured", "sliding_scale"]
    assert told["self_pay_fee"] == {"min": 60, "max": 120, "currency": "USD"}
    assert (told["sliding_scale"], told["medicaid"], told["medicare"]) == (True, False, None)
    assert told["text"] == "Sliding scale · Self-pay $60-$120 a session"
    assert told["sources"] == [
        {
            "fact": "self_pay_fee",
            "value": {"min": 60, "max": 120},
            "source": "self_reported",
            "method": None,
            "observed_at": "2026-02-01T12:00:00+00:00",
        },
        {
            "fact": "sliding_scale",
            "value": True,
            "source": "self_reported",
            "method": None,
            "observed_at": "2026-02-01T12:00:00+00:00",
        },
        {
            "fact": "accepts_medicaid",
            "value": False,
            "source": "self_reported",
            "method": None,
            "observed_at": "2026-02-01T12:00:00+00:00",
        },
    ]


def test_an_unknown_cost_is_said_plainly_never_free(client, two_in_boston):
    silent = _results(client)["Silent"]["cost"]
    assert silent["known"] is False
    assert silent["accepts"] == []
    assert silent["self_pay_fee"] is None
    assert silent["free_care"] is None
    assert silent["text"] == "Cost not known: ask about fees and insurance."
    assert silent["sources"] == []


def test_payment_and_max_fee_filter_and_explain(client, two_in_boston):
    found = _results(client, payment=["uninsured"], max_fee=60, required=["payment", "max_fee"])
    assert list(found) == ["Told"]
    reasons = {r["code"]: r for r in found["Told"]["reasons"]}
    assert reasons["payment"] == {
        "code": "payment",
        "value": ["uninsured"],
        "text": "Takes uninsured (self-pay) patients",
    }
    assert reasons["max_fee"]["text"] == "Self-pay $60-$120 a session, within $60"


def test_an_unmet_cost_preference_is_listed_under_unmet(client, two_in_boston):
    silent = _results(client, payment=["medicaid"], max_fee=59)["Silent"]
    assert [u["text"] for u in silent["unmet"]] == [
        "Not known to take Medicaid",
        "Self-pay fee not known (wanted $59 or less)",
    ]


@pytest.mark.parametrize(
    ("needs", "field"),
    [({"payment": ["private"]}, "payment"), ({"max_fee": -5}, "max_fee")],
)
def test_bad_cost_needs_are_400_naming_the_field(client, two_in_boston, needs, field):
    response = client.post("/api/v1/matches", json={"postal_code": "02139", **needs})
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


def test_the_clinician_resource_carries_cost_and_its_provenance(client, two_in_boston):
    body = client.get(f"/api/v1/clinicians/{two_in_boston}").get_json()
    assert body["cost"]["accepts"] == ["uninsured", "sliding_scale"]
    assert body["cost"]["sources"][0]["source"] == "self_reported"
    facts = {p["fact"]: p["source"] for p in body["provenance"]}
    assert facts["self_pay_fee"] == "self_reported"
    listed = client.get("/api/v1/clinicians").get_json()["results"]
    assert sorted(r["cost"]["known"] for r in listed) == [False, True]


def test_the_openapi_document_describes_cost_and_its_needs(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["Needs"]["properties"]["payment"]["items"]["enum"] == [
        "free",
        "medicaid",
        "medicare",
        "sliding_scale",
        "uninsured",
    ]
    assert schemas["Needs"]["properties"]["max_fee"]["maximum"] == 2000
    assert "cost" in schemas["Match"]["required"]
    assert "cost" in schemas["ClinicianSummary"]["required"]
    assert set(schemas["ClinicianCost"]["properties"]) >= {"accepts", "self_pay_fee", "sources"}
