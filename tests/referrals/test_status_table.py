"""The one status table and every list derived from it, pinned as literals."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from referrals import lifecycle
from referrals.fhir import BUSINESS_STATUS, SERVICE_REQUEST_STATUS, TASK_STATUS
from referrals.followup import EXPIRABLE
from referrals.lifecycle import (
    AWAITING_APPOINTMENT,
    INBOX_GROUPS,
    OPEN,
    REREFERABLE,
    STATUS_TABLE,
    STATUSES,
    TELLS_RECEIVER,
    TERMINAL,
    can_rerefer,
    inbox_statuses,
)
from referrals.notify import STATUS_WORDS
from tests.referrals.world import part2_consent, referral_payload
from web.i18n import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]


def test_the_statuses_in_lifecycle_order():
    assert STATUSES == (
        "draft", "sent", "acknowledged", "accepted", "declined", "scheduled", "attended",
        "no_show", "closed", "cancelled", "expired",
    )  # fmt: skip


def test_derived_lists():
    assert {"declined", "closed", "cancelled", "expired"} == TERMINAL
    assert {"draft", "sent", "acknowledged", "accepted", "scheduled", "attended", "no_show"} == OPEN
    assert AWAITING_APPOINTMENT == ("sent", "acknowledged", "accepted")
    assert EXPIRABLE == ("draft", "sent", "acknowledged", "accepted")
    assert {"sent", "cancelled", "expired"} == TELLS_RECEIVER


def test_fhir_codes():
    assert TASK_STATUS == {
        "draft": "draft", "sent": "requested", "acknowledged": "received",
        "accepted": "accepted", "declined": "rejected", "scheduled": "in-progress",
        "attended": "in-progress", "no_show": "in-progress", "closed": "completed",
        "cancelled": "cancelled", "expired": "failed",
    }  # fmt: skip
    assert {s: s for s in STATUSES} == BUSINESS_STATUS
    assert SERVICE_REQUEST_STATUS == {
        "draft": "draft", "sent": "active", "acknowledged": "active", "accepted": "active",
        "declined": "revoked", "scheduled": "active", "attended": "active", "no_show": "active",
        "closed": "completed", "cancelled": "revoked", "expired": "revoked",
    }  # fmt: skip


def test_inbox_sections():
    assert INBOX_GROUPS == ("new", "upcoming", "to_close", "done")
    assert [inbox_statuses(g) for g in INBOX_GROUPS] == [
        ("sent", "acknowledged"),
        ("accepted", "scheduled"),
        ("attended", "no_show"),
        ("declined", "closed", "cancelled", "expired"),
    ]
    assert lifecycle.status("draft").inbox is None


def test_notice_words():
    assert STATUS_WORDS["acknowledged"] == "acknowledged by the clinician"
    assert STATUS_WORDS["no_show"] == "marked as a missed appointment"
    assert STATUS_WORDS["closed"] == "closed with a note back to you"


# The intended behaviour: re-refer while waiting on the clinician, after a no-show, or once
# the referral ended without care; never from a draft (send or cancel it), while care is
# arranged (accepted, scheduled, attended) or after it was closed.
REREFER = {
    "draft": False, "sent": True, "acknowledged": True, "accepted": False, "declined": True,
    "scheduled": False, "attended": False, "no_show": True, "closed": False, "cancelled": True,
    "expired": True,
}  # fmt: skip


@pytest.mark.parametrize(("status", "allowed"), sorted(REREFER.items()))
def test_can_rerefer(status, allowed):
    assert can_rerefer(status) is allowed
    assert (status in REREFERABLE) is allowed


def test_the_page_and_the_service_agree_on_rerefer():
    template = (ROOT / "templates/console/referral.html").read_text()
    assert "rerefer_allowed" in template
    assert not re.search(r"referral\.status in \(", template)


@pytest.mark.parametrize("status", ["accepted", "scheduled", "draft"])
def test_api_refuses_to_rerefer_where_the_table_says_no(pcp, clinician, world, db, status):
    created = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()
    rid = created["id"]
    steps = {
        "draft": [],
        "accepted": [(pcp, "send"), (clinician, "acknowledge"), (clinician, "accept")],
        "scheduled": [
            (pcp, "send"),
            (clinician, "acknowledge"),
            (clinician, "accept"),
            (clinician, "schedule"),
        ],
    }[status]
    for client, event in steps:
        body = {"type": event, "appointment_at": "2030-01-07T15:00:00Z"}
        if event != "schedule":
            body.pop("appointment_at")
        assert client.post(f"/api/v1/referrals/{rid}/events", json=body).status_code == 200
    response = pcp.post(f"/api/v1/referrals/{rid}/rerefer", json={"clinician_npi": world.omar.npi})
    assert response.status_code == 409
    assert response.get_json()["detail"] == f"a referral that is {status} cannot be re-referred"


def test_api_rerefers_after_a_no_show(pcp, clinician, world):
    rid = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    events = f"/api/v1/referrals/{rid}/events"
    for client, body in [
        (pcp, {"type": "send"}),
        (clinician, {"type": "acknowledge"}),
        (clinician, {"type": "accept"}),
        (clinician, {"type": "schedule", "appointment_at": "2030-01-07T15:00:00Z"}),
        (clinician, {"type": "no_show"}),
    ]:
        assert client.post(events, json=body).status_code == 200
    consent = part2_consent(world, clinician=world.omar)
    body = {"clinician_npi": world.omar.npi, "consent": consent}
    response = pcp.post(f"/api/v1/referrals/{rid}/rerefer", json=body)
    assert response.status_code == 201
    # The no-show referral is cancelled on the way (it was still open).
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "cancelled"


def test_every_status_word_has_a_spanish_translation():
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for row in STATUS_TABLE:
        assert catalog.get(row.words) is not None and catalog.get(row.words).string, row.code


def test_babel_extracts_the_status_words():
    config = (TRANSLATIONS_DIR / "babel.cfg").read_text()
    assert "[python: referrals/lifecycle.py]" in config


def test_the_whole_table():
    from dataclasses import astuple

    assert [astuple(row) for row in STATUS_TABLE] == [
        ("draft", "Draft", "a draft", False, False, True,
         "draft", "draft", "draft", None, False, False),
        ("sent", "Sent", "sent", False, True, True,
         "requested", "sent", "active", "new", True, True),
        ("acknowledged", "Acknowledged", "acknowledged by the clinician", False, True, True,
         "received", "acknowledged", "active", "new", True, False),
        ("accepted", "Accepted", "accepted by the clinician", False, True, True,
         "accepted", "accepted", "active", "upcoming", False, False),
        ("declined", "Declined", "declined by the clinician", True, False, False,
         "rejected", "declined", "revoked", "done", True, False),
        ("scheduled", "Scheduled", "scheduled", False, False, False,
         "in-progress", "scheduled", "active", "upcoming", False, False),
        ("attended", "Attended", "marked attended", False, False, False,
         "in-progress", "attended", "active", "to_close", False, False),
        ("no_show", "No-show", "marked as a missed appointment", False, False, False,
         "in-progress", "no_show", "active", "to_close", True, False),
        ("closed", "Closed", "closed with a note back to you", True, False, False,
         "completed", "closed", "completed", "done", False, False),
        ("cancelled", "Cancelled", "cancelled", True, False, False,
         "cancelled", "cancelled", "revoked", "done", True, True),
        ("expired", "Expired", "expired", True, False, False,
         "failed", "expired", "revoked", "done", True, True),
    ]  # fmt: skip
    assert lifecycle.N_("Sent") == "Sent"
    assert lifecycle.status("sent") is STATUS_TABLE[1]
    with pytest.raises(KeyError):
        lifecycle.status("lost")
