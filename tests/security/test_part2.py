"""Threat model: 42 CFR Part 2 records (issue 12, section 1).

What is protected: the patient identity and clinical content of a referral that carries
substance use disorder information. From whom: the receiving clinician (and their practice's
key) until a valid written consent names them, plan staff unless the consent names their plan
and the patient is the plan's member, and everyone after the patient revokes. How: the
referral is classified from its content (referrals/part2.py and its data file), a draft is
never disclosed, sending is gated on the §2.31 consent, every read decides again and is
audited, and exports carry the Part 2 security labels and the §2.32 notice.

Each test is one attack or careless call; the suite runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from directory.extensions import db
from referrals.consent import PART2_NOTICE
from referrals.disclosure import WITHHELD_FIELDS
from tests.referrals.world import (
    make_npi,
    part2_consent,
    referral_payload,
)
from tests.security.part2_calls import (
    CONTENT,
    PART2_LABELS,
    REPRODUCTION,
    assert_withheld_json,
    create,
    labels,
    send,
    sent_sud,
    sud,
    today,
)

# --- classification from content ---------------------------------------------------------


def test_reproduction_without_consent_is_a_part2_draft_that_cannot_be_sent(pcp, jane, world):
    body = referral_payload(world, **REPRODUCTION)
    body.pop("substance_use")
    created = create(pcp, body)
    assert (created["status"], created["part2"], created["substance_use"]) == (
        "draft",
        True,
        False,
    )
    assert created["part2_basis"] == [
        "conditions:opioid use disorder",
        "diagnoses:F11.20",
        "medications:methadone",
    ]
    refused = send(pcp, created["id"])
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["consent"] == {
        "consent": "a substance use disorder referral needs a 42 CFR part 2 consent"
    }
    # The draft is never disclosed: the receiver cannot even see that it exists.
    assert jane.get(f"/api/v1/referrals/{created['id']}").status_code == 404
    assert pcp.get(f"/api/v1/referrals/{created['id']}").get_json()["status"] == "draft"


def test_substance_use_false_never_overrides_the_codes(pcp, world):
    created = create(pcp, referral_payload(world, diagnoses=["F11.20"], substance_use=False))
    assert created["part2"] is True and created["part2_basis"] == ["diagnoses:F11.20"]
    assert send(pcp, created["id"]).status_code == 422


@pytest.mark.parametrize(
    "overrides",
    [
        {"reason": "On methadone maintenance, wants counseling"},
        {"notes": "Stable on Suboxone 8 mg"},
        {"conditions": ["Alcohol use disorder, in early remission"]},
        {"medications": ["Vivitrol 380 mg monthly"]},
        {"needs": {"concerns": ["opioid_use"], "languages": ["es"]}},
        {"diagnoses": ["F10.20"]},
    ],
)
def test_content_anywhere_makes_it_part2(pcp, world, overrides):
    created = create(pcp, referral_payload(world, **overrides))
    assert created["part2"] is True
    assert send(pcp, created["id"]).status_code == 422


def test_nicotine_alone_is_not_part2(pcp, world):
    body = referral_payload(world, diagnoses=["F17.210"], medications=["nicotine patch 21 mg"])
    created = create(pcp, body)
    assert created["part2"] is False and "part2_notice" not in created
    assert send(pcp, created["id"]).status_code == 200


def test_a_note_naming_sud_content_makes_the_referral_part2_for_later_readers(
    pcp, jane, staff, world
):
    rid = create(pcp, referral_payload(world))["id"]
    assert send(pcp, rid).status_code == 200
    assert staff.get(f"/api/v1/referrals/{rid}").get_json()["disclosure"]["allowed"] is True
    note = {"type": "acknowledge", "note": "Will discuss starting buprenorphine"}
    assert jane.post(f"/api/v1/referrals/{rid}/events", json=note).status_code == 200
    body = staff.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["part2"] is True and body["disclosure"]["allowed"] is False
    assert body["events"][-1]["note"] is None


# --- disclosure with a consent, and the labels that go with it -----------------------------


def test_with_a_consent_the_receiver_sees_content_notice_and_labels(
    app, pcp, jane, world, practice_key
):
    rid = sent_sud(pcp, world)
    body = jane.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["patient"]["name"] == "Maria Lopez" and body["diagnoses"] == ["F11.20"]
    assert body["part2_notice"] == PART2_NOTICE and body["withheld"] == []
    raw = app.test_client().get(f"/api/v1/referrals/{rid}/fhir", headers=practice_key)
    assert raw.status_code == 200
    bundle = Bundle.model_validate_json(raw.get_data(as_text=True))
    assert labels(bundle.meta) == PART2_LABELS
    for entry in bundle.entry:
        assert labels(entry.resource.meta) == PART2_LABELS, entry.resource.__resource_type__
    notices = [e.valueString for e in bundle.meta.extension if e.valueString]
    assert notices == [PART2_NOTICE]
    kinds = {e.resource.__resource_type__ for e in bundle.entry}
    assert kinds == {"ServiceRequest", "Task", "Patient", "Consent"}
    page = jane.get(f"/clinician/referrals/{rid}").get_data(as_text=True)
    assert "Maria Lopez" in page and "42 CFR part 2 notice" in page
    assert "This record which has been disclosed to you" in page


def test_a_non_part2_bundle_carries_no_part2_label(pcp, world):
    rid = create(pcp, referral_payload(world))["id"]
    raw = pcp.get(f"/api/v1/referrals/{rid}/fhir").get_data(as_text=True)
    bundle = Bundle.model_validate_json(raw)
    assert bundle.meta is None and "42CFRPart2" not in raw


def test_after_revocation_everyone_but_the_referrer_sees_only_what_is_withheld(
    app, pcp, jane, staff, world, practice_key
):
    recipients = [{"name": "Jane Smith", "npi": world.jane.npi}, "Acme Health Plan"]
    rid = sent_sud(pcp, world, recipients=recipients)
    assert staff.get(f"/api/v1/referrals/{rid}").get_json()["patient"]["name"] == "Maria Lopez"
    assert pcp.post(f"/api/v1/referrals/{rid}/consent/revoke").status_code == 200
    for client, headers in ((jane, {}), (staff, {}), (app.test_client(), practice_key)):
        body = client.get(f"/api/v1/referrals/{rid}", headers=headers).get_json()
        assert_withheld_json(body)
        assert body["disclosure"]["problems"] == {"revoked": "the consent has been revoked"}
        listed = client.get("/api/v1/referrals", headers=headers).get_json()["items"]
        assert [item["withheld"] for item in listed] == [list(WITHHELD_FIELDS)]
        raw = client.get(f"/api/v1/referrals/{rid}/fhir", headers=headers).get_data(as_text=True)
        bundle = Bundle.model_validate_json(raw)
        assert labels(bundle.meta) == PART2_LABELS | {("v3-ObservationValue", "REDACTED")}
        assert {e.resource.__resource_type__ for e in bundle.entry} == {"ServiceRequest", "Task"}
        withheld = [e.valueCode for e in bundle.meta.extension if e.valueCode]
        assert withheld == list(WITHHELD_FIELDS)
        for value in CONTENT:
            assert value not in raw
    # The referring side keeps its own record.
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["patient"]["name"] == "Maria Lopez"


def test_after_revocation_the_clinician_and_staff_pages_show_what_is_withheld(
    pcp, jane, staff, world
):
    recipients = [{"name": "Jane Smith", "npi": world.jane.npi}, "Acme Health Plan"]
    rid = sent_sud(pcp, world, recipients=recipients)
    pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    for client, page in ((jane, f"/clinician/referrals/{rid}"), (staff, f"/staff/referrals/{rid}")):
        html = client.get(page).get_data(as_text=True)
        assert "Withheld from you:" in html and "Date of birth" in html
        assert "the consent has been revoked" in html
        for value in CONTENT:
            assert value not in html
    inbox = jane.get("/clinician/").get_data(as_text=True)
    assert "Withheld (42 CFR part 2)" in inbox and "Maria" not in inbox


def test_revocation_withholds_whatever_the_flag(pcp, jane, world):
    consent = {"form_type": "plan_cei", "recipients": ["Harbor Counseling"]}
    rid = create(pcp, referral_payload(world, consent=consent))["id"]
    assert send(pcp, rid).status_code == 200
    assert jane.get(f"/api/v1/referrals/{rid}").get_json()["part2"] is False
    pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    assert_withheld_json(jane.get(f"/api/v1/referrals/{rid}").get_json())


def test_a_revoked_draft_is_never_sent(pcp, world):
    consent = {"form_type": "plan_cei", "recipients": ["Harbor Counseling"]}
    rid = create(pcp, referral_payload(world, consent=consent))["id"]
    pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    refused = send(pcp, rid)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["consent"] == {"revoked": "the consent has been revoked"}


# --- the consent must name the recipient exactly --------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "sent"),
    [
        ({"name": "Nicole Thompson, LICSW"}, True),
        ({"name": "Thompson, Nicole"}, True),
        ({"name": "Dr. Nicole Thompson"}, True),
        ({"name": "NICOLE THOMPSON"}, True),
        ({"name": "Harbor Counseling"}, True),
        ({"name": "Mary Nicole Thompson"}, False),  # a longer name is another person
        ({"name": "Nicole Thompson-Reyes"}, False),
        ({"name": "Nicole"}, False),
        ({"name": "Thompson"}, False),
        ({"name": "Harbor"}, False),
        ({"name": "Harbor Counseling of Salem"}, False),
        ({"name": "Nicole Thompson", "npi": make_npi(2)}, False),  # the NPI names Omar
    ],
)
def test_consent_recipients_match_exactly(pcp, world, recipient, sent):
    body = referral_payload(world, world.nicole, **REPRODUCTION)
    body["location_id"] = world.location.id
    body["consent"] = part2_consent(world, recipients=[recipient])
    rid = create(pcp, body)["id"]
    response = send(pcp, rid)
    assert response.status_code == (200 if sent else 422), response.get_json()
    if not sent:
        assert set(response.get_json()["errors"]["consent"]) == {"recipients"}


# --- consent dates at their boundaries (the service's calendar day) -------------------------


@pytest.mark.parametrize(
    ("field", "days", "sent"),
    [
        ("expires_on", 0, True),  # expiring today is still valid
        ("expires_on", -1, False),  # expired yesterday
        ("signed_on", 0, True),  # signed today
        ("signed_on", 1, False),  # signed tomorrow
    ],
)
def test_consent_date_boundaries(app, pcp, world, field, days, sent):
    day = (today(app) + timedelta(days=days)).isoformat()
    rid = create(pcp, sud(world, **{field: day}))["id"]
    response = send(pcp, rid)
    assert response.status_code == (200 if sent else 422)
    if not sent:
        assert set(response.get_json()["errors"]["consent"]) == {field}


def test_a_consent_expiring_today_still_discloses_and_not_tomorrow(app, pcp, jane, world):
    from referrals.models import Consent

    rid = sent_sud(pcp, world, expires_on=today(app).isoformat())
    assert jane.get(f"/api/v1/referrals/{rid}").get_json()["disclosure"]["allowed"] is True
    consent = db.session.scalars(select(Consent)).one()
    consent.expires_on = today(app) - timedelta(days=1)
    db.session.commit()
    body = jane.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["disclosure"]["allowed"] is False and "expires_on" in body["disclosure"]["problems"]
