"""PractitionerRole carries NDH's verification-status from the facts we hold."""

from datetime import timedelta

from sqlalchemy import select

from directory.facts import clinician as subject
from directory.facts import observe
from directory.models import Clinician
from directory.models.verification import utcnow
from tests.api.conftest import directory_data  # noqa: F401

STATUS = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"


def _status(client, npi: str) -> list[str]:
    bundle = client.get(f"/fhir/PractitionerRole?practitioner={npi}").get_json()
    (entry,) = bundle["entry"]
    return [
        e["valueCodeableConcept"]["coding"][0]["code"]
        for e in entry["resource"].get("extension", [])
        if e["url"] == STATUS
    ]


def _id(db, npi: str) -> int:
    return db.session.scalar(select(Clinician.id).where(Clinician.npi == npi))


def test_no_facts_no_status(client, directory_data):  # noqa: F811
    assert _status(client, directory_data.ann) == []


def test_a_fresh_undisputed_verification_is_complete(client, db, directory_data):  # noqa: F811
    ann = subject(_id(db, directory_data.ann))
    observe(ann, "phone", ["617-555-0199"], "staff_verification", method="phone_call")
    db.session.commit()

    assert _status(client, directory_data.ann) == ["complete"]


def test_a_dispute_or_a_weak_source_is_incomplete(client, db, directory_data):  # noqa: F811
    ann = subject(_id(db, directory_data.ann))
    observe(ann, "phone", ["617-555-0199"], "staff_verification", method="phone_call")
    old = utcnow() - timedelta(days=5)
    observe(ann, "phone", ["617-555-0100"], "nppes", observed_at=old)
    db.session.commit()

    assert _status(client, directory_data.ann) == ["incomplete"]
