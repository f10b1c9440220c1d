"""Task and ServiceRequest searches and reads, and BSeR feedback, as the referral rules allow."""

from datetime import datetime, timedelta

import pytest
from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.models import Referral
from tests.clock import service_today
from tests.fhir.bser_world import example, get, post, resource
from tests.referrals.world import build_world, signed_in

BSER_STATUS = "http://hl7.org/fhir/us/bser/CodeSystem/TaskBusinessStatusCS"


@pytest.fixture
def world(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast sign-ins in tests
    return build_world()


@pytest.fixture
def sent(app, client, world, make_api_key):
    """Riverside's referral to Jane and Hilltop's to Omar, each sent by its partner key."""
    keys = {
        "riverside": make_api_key(world.pcp_org, ("referrals:read", "referrals:write")),
        "hilltop": make_api_key(world.other_pcp_org, ("referrals:read", "referrals:write")),
    }
    jane = signed_in(app, "clinician", world.practice, npi=world.jane.npi)
    keys["harbor"] = make_api_key(world.practice, ("referrals:read", "referrals:write"))
    keys["summit"] = make_api_key(world.other_practice, ("referrals:read",))
    assert post(client, keys["riverside"], example()).status_code == 200
    other = example()
    other["identifier"]["value"] = "urn:uuid:0b6c7d1e-2f3a-4b5c-8d9e-0a1b2c3d4e5f"
    other["entry"][5]["resource"]["identifier"][0]["value"] = world.omar.npi
    assert post(client, keys["hilltop"], other).status_code == 200
    referrals = {r.referring_organization_id: r for r in Referral.query.all()}
    return keys, jane, referrals[world.pcp_org.id], referrals[world.other_pcp_org.id]


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    bundle = response.get_json()
    get_fhir_model_class("Bundle").model_validate(bundle)
    return [e["resource"]["id"] for e in bundle.get("entry", [])]


def test_each_partner_finds_only_the_referrals_it_sent_or_received(client, world, sent):
    keys, _jane, mine, theirs = sent

    assert _ids(get(client, keys["riverside"], "/fhir/Task")) == [str(mine.id)]
    assert _ids(get(client, keys["hilltop"], "/fhir/Task")) == [str(theirs.id)]
    assert _ids(get(client, keys["harbor"], "/fhir/ServiceRequest")) == [str(mine.id)]
    assert _ids(get(client, keys["summit"], "/fhir/Task")) == []


def test_a_referral_of_another_partner_is_a_404_outcome(client, world, sent, db):
    keys, _jane, mine, _theirs = sent

    response = get(client, keys["summit"], f"/fhir/Task/{mine.id}")

    assert response.status_code == 404
    assert response.get_json()["resourceType"] == "OperationOutcome"
    refused = (AuditEvent.outcome == "denied", AuditEvent.object_id == str(mine.id))
    denied = db.session.scalars(select(AuditEvent).where(*refused)).all()
    assert len(denied) == 1


def test_search_by_status_patient_and_requester(client, world, sent):
    keys, _jane, mine, _theirs = sent
    key = keys["riverside"]
    org = f"Organization/org-{world.pcp_org.id}"

    assert _ids(get(client, key, "/fhir/Task?status=requested")) == [str(mine.id)]
    assert _ids(get(client, key, "/fhir/Task?status=completed")) == []
    assert _ids(get(client, key, "/fhir/ServiceRequest?status=active")) == [str(mine.id)]
    assert _ids(get(client, key, f"/fhir/Task?patient=Patient/{mine.episode_id}")) == [str(mine.id)]
    assert _ids(get(client, key, f"/fhir/Task?requester={org}")) == [str(mine.id)]
    other = f"Organization/org-{world.other_pcp_org.id}"
    assert _ids(get(client, key, f"/fhir/Task?requester={other}")) == []
    # An id no organization has names nothing (past the 32-bit row ids too).
    assert _ids(get(client, key, "/fhir/Task?requester=Organization/org-99999999999")) == []


def test_polling_by_last_updated_finds_what_changed_since(client, sent, db):
    keys, jane, mine, _theirs = sent
    key = keys["riverside"]
    changed = mine.updated_at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"

    assert _ids(get(client, key, "/fhir/Task?_lastUpdated=ge2000-01-01")) == [str(mine.id)]
    assert _ids(get(client, key, "/fhir/Task?_lastUpdated=lt2000-01-01")) == []
    assert _ids(get(client, key, "/fhir/Task?_lastUpdated=gt2100-01-01")) == []
    assert _ids(get(client, key, f"/fhir/Task?_lastUpdated=ge{changed}")) == [str(mine.id)]
    task = get(client, key, f"/fhir/Task/{mine.id}").get_json()
    assert task["meta"]["lastUpdated"] == task["lastModified"]


def test_a_bad_search_value_is_a_400_outcome(client, sent):
    keys = sent[0]

    for url in (
        "/fhir/Task?status=sent",
        "/fhir/Task?patient=Patient/x",
        "/fhir/Task?_count=101",
        "/fhir/Task?_lastUpdated=yesterday",
        "/fhir/ServiceRequest?requester=Practitioner/1000000012",
    ):
        response = get(client, keys["riverside"], url)
        assert response.status_code == 400, url
        assert response.get_json()["resourceType"] == "OperationOutcome"


def test_reads_are_audited_as_the_referral_api_audits_them(client, db, sent):
    keys, _jane, mine, _theirs = sent
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))

    task = get(client, keys["harbor"], f"/fhir/Task/{mine.id}").get_json()

    assert task["focus"] == {"reference": f"ServiceRequest/{mine.id}"}
    assert task["for"] == {"reference": f"Patient/{mine.episode_id}"}
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [(r.action, r.object_type, r.outcome) for r in rows] == [
        ("disclose", "referral", "ok"),
        ("disclose", "consent", "ok"),
    ]


def _work(jane, referral_id: int) -> None:
    """Jane acknowledges, accepts, schedules, sees, returns and closes the referral."""
    events = f"/api/v1/referrals/{referral_id}/events"
    when = datetime.combine(service_today() + timedelta(days=7), datetime.min.time())
    for body in (
        {"type": "acknowledge"},
        {"type": "accept"},
        {"type": "schedule", "appointment_at": when.isoformat() + "Z"},
        {"type": "attend"},
    ):
        assert jane.post(events, json=body).status_code == 200
    structured = {"diagnoses": ["F33.1"], "treatment": "CBT weekly", "note": "Improving."}
    assert jane.post(f"/api/v1/referrals/{referral_id}/returns", json=structured).status_code == 201
    closed = {"type": "close", "note": "Discharged to PCP after eight sessions."}
    assert jane.post(events, json=closed).status_code == 200


def test_feedback_carries_the_bser_status_the_closing_note_and_the_return(client, sent):
    keys, jane, mine, _theirs = sent
    _work(jane, mine.id)

    response = get(client, keys["riverside"], f"/fhir/Task/{mine.id}/$feedback")

    assert response.status_code == 200, response.get_data(as_text=True)
    message = response.get_json()
    get_fhir_model_class("Bundle").model_validate(message)
    assert message["type"] == "message"
    header = message["entry"][0]["resource"]
    assert header["reason"]["coding"][0]["code"] == "referral-feedback"
    assert header["focus"] == [{"reference": f"Task/{mine.id}"}]
    assert header["eventCoding"]["code"] == "I12"
    task = resource(message, "Task")
    assert task["status"] == "completed"
    assert task["businessStatus"]["coding"][1]["system"] == BSER_STATUS
    assert task["businessStatus"]["coding"][1]["code"] == "7.0"
    assert task["note"] == [{"text": "Discharged to PCP after eight sessions."}]
    kinds = [e["resource"]["resourceType"] for e in message["entry"]]
    assert kinds[:3] == ["MessageHeader", "Task", "ServiceRequest"]
    assert {"Patient", "Consent", "Condition", "Communication"} <= set(kinds)
    patient_url = next(
        e["fullUrl"] for e in message["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    assert task["for"] == {"reference": patient_url}
    assert resource(message, "ServiceRequest")["subject"] == {"reference": patient_url}
    condition = resource(message, "Condition")
    assert condition["code"]["coding"][0]["code"] == "F33.1"


def test_feedback_follows_each_status(client, sent):
    keys, jane, mine, _theirs = sent
    url = f"/fhir/Task/{mine.id}/$feedback"

    def business() -> str:
        return resource(get(client, keys["riverside"], url).get_json(), "Task")["businessStatus"][
            "coding"
        ][1]["code"]

    def message_id() -> str:
        return get(client, keys["riverside"], url).get_json()["identifier"]["value"]

    assert business() == "2.0"
    first = message_id()
    assert message_id() == first
    jane.post(f"/api/v1/referrals/{mine.id}/events", json={"type": "acknowledge"})
    assert business() == "2.0"
    assert message_id() != first
    jane.post(f"/api/v1/referrals/{mine.id}/events", json={"type": "accept"})
    assert business() == "3.0"


def test_feedback_of_another_partners_referral_is_a_404(client, sent):
    keys, _jane, mine, _theirs = sent

    assert get(client, keys["hilltop"], f"/fhir/Task/{mine.id}/$feedback").status_code == 404
    assert get(client, keys["hilltop"], "/fhir/Task/abc/$feedback").status_code == 404


def test_the_capability_statement_lists_the_referral_resources(client):
    statement = client.get("/fhir/metadata").get_json()

    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    for kind in ("Task", "ServiceRequest"):
        params = {p["name"] for p in resources[kind]["searchParam"]}
        assert params == {"status", "patient", "requester", "_lastUpdated"}
    assert statement["rest"][0]["operation"][0]["name"] == "process-message"
    assert statement["messaging"][0]["supportedMessage"][0]["mode"] == "receiver"
