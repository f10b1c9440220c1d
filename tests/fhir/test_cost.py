"""Cost on the HealthcareService: our documented extension, valid R4B, with source and date."""

from datetime import UTC, datetime

from fhir.resources.R4B import get_fhir_model_class

from directory.cost import Cost
from directory.cost_facts import set_cost
from directory.extensions import db
from directory.models import Clinician
from fhir_api.cost import COST_EXTENSION

SAID = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def _cost_of(resource: dict) -> list[dict]:
    return [e for e in resource.get("extension", []) if e["url"] == COST_EXTENSION]


def _ann(d) -> Clinician:
    return db.session.query(Clinician).filter_by(npi=d.ann).one()


def test_a_known_cost_is_an_extension_with_source_and_date(client, directory_data):
    d = directory_data
    set_cost(
        _ann(d), Cost(fee_min=50, fee_max=110, medicare=False), "self_reported", observed_at=SAID
    )
    db.session.commit()

    service = client.get(f"/fhir/HealthcareService/{d.ann}-S").get_json()

    get_fhir_model_class("HealthcareService").model_validate(service)
    [cost] = _cost_of(service)
    assert cost["extension"] == [
        {
            "url": "selfPayFee",
            "extension": [
                {
                    "url": "value",
                    "valueRange": {
                        "low": {
                            "value": 50,
                            "unit": "USD",
                            "system": "urn:iso:std:iso:4217",
                            "code": "USD",
                        },
                        "high": {
                            "value": 110,
                            "unit": "USD",
                            "system": "urn:iso:std:iso:4217",
                            "code": "USD",
                        },
                    },
                },
                {"url": "source", "valueCode": "self_reported"},
                {"url": "observed", "valueDateTime": "2026-01-15T09:30:00Z"},
            ],
        },
        {
            "url": "acceptsMedicare",
            "extension": [
                {"url": "value", "valueBoolean": False},
                {"url": "source", "valueCode": "self_reported"},
                {"url": "observed", "valueDateTime": "2026-01-15T09:30:00Z"},
            ],
        },
    ]


def test_the_search_page_carries_the_same_extension_as_the_read(client, directory_data):
    d = directory_data
    set_cost(_ann(d), Cost(sliding_scale=True), "self_reported", observed_at=SAID)
    db.session.commit()

    found = client.get("/fhir/HealthcareService?_count=100").get_json()
    by_id = {e["resource"]["id"]: e["resource"] for e in found["entry"]}
    read = client.get(f"/fhir/HealthcareService/{d.ann}-S").get_json()
    assert _cost_of(by_id[f"{d.ann}-S"]) == _cost_of(read)
    assert _cost_of(read)[0]["extension"][0]["url"] == "slidingScale"


def test_an_unknown_cost_has_no_extension_never_a_false_one(client, directory_data):
    service = client.get(f"/fhir/HealthcareService/{directory_data.bob}-S").get_json()

    assert _cost_of(service) == []
