"""Clinician JSON carries per-fact provenance: source, age, confidence, conflicts."""

from datetime import timedelta

from sqlalchemy import select

from directory.facts import clinician as subject
from directory.facts import observe
from directory.models import Clinician
from directory.models.verification import utcnow

URL = "/api/v1/clinicians"


def _ann_id(db, npi: str) -> int:
    return db.session.scalar(select(Clinician.id).where(Clinician.npi == npi))


def test_detail_shows_the_winner_its_confidence_and_the_overruled(client, db, directory_data):
    ann = subject(_ann_id(db, directory_data.ann))
    now = utcnow()
    observe(ann, "accepting_new_patients", True, "roster", observed_at=now - timedelta(days=12))
    observe(
        ann,
        "accepting_new_patients",
        False,
        "staff_verification",
        observed_at=now - timedelta(days=2),
        method="phone_call",
        evidence="Spoke with the front desk",
    )
    db.session.commit()

    body = client.get(f"{URL}/{directory_data.ann}").get_json()

    (fact,) = body["provenance"]
    assert (fact["fact"], fact["value"], fact["source"], fact["method"]) == (
        "accepting_new_patients",
        False,
        "staff_verification",
        "phone_call",
    )
    assert fact["confidence"] == 0.57  # 0.95 * (1 - 0.8 / 2)
    assert [(c["source"], c["value"]) for c in fact["conflicts"]] == [("roster", True)]
    assert "evidence" not in fact and "Spoke" not in str(body)


def test_list_results_carry_provenance_and_none_is_an_empty_list(client, db, directory_data):
    ann = subject(_ann_id(db, directory_data.ann))
    observe(ann, "telehealth", True, "nppes", observed_at=utcnow())
    db.session.commit()

    results = {r["npi"]: r for r in client.get(URL).get_json()["results"]}

    assert [p["fact"] for p in results[directory_data.ann]["provenance"]] == ["telehealth"]
    assert results[directory_data.bob]["provenance"] == []
