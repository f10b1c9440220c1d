"""The shortlist pages: save (at most five), remove, the list, and sending it by email or text."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from directory.models import Clinician
from outbox.models import OutboxMessage
from tests.outbox.receiver import receiver  # noqa: F401  (fixture)
from tests.referrals.smtp_sink import free_port, smtp_sink  # noqa: F401  (fixture)
from tests.web.seed_directory import CLINICIANS, SPANISH_SPEAKER, _npi


def npi_of(name: str) -> str:
    return _npi(1 + [row[0] for row in CLINICIANS].index(name))


ANA = npi_of(SPANISH_SPEAKER)
BEN = npi_of("Ben Okafor")
ALL_FIVE = [_npi(n) for n in range(1, 6)]


def _text(response) -> str:
    return response.get_data(as_text=True)


def _kept(client) -> list[str]:
    with client.session_transaction() as session:
        return session.get("shortlist", [])


def test_save_from_a_profile_keeps_only_the_npi_and_goes_back(client, directory):
    response = client.post("/my-list/save", data={"npi": ANA, "back": f"/clinicians/{ANA}"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/clinicians/{ANA}"
    assert _kept(client) == [ANA]
    page = _text(client.get(f"/clinicians/{ANA}"))
    assert "Saved to your list." in page
    assert "On your list" in page
    assert 'aria-label="Remove Ana Rivera from my list"' in page
    assert "My list (1)</a>" in page


def test_results_cards_offer_save_and_come_back_to_the_card(client, search):
    page = _text(search())
    assert 'aria-label="Save to my list: Ana Rivera"' in page
    assert 'name="back" value="/find/results/' in page
    assert '#result-1"' in page


def test_the_sixth_is_refused_with_a_clear_message(client, directory):
    for npi in ALL_FIVE:
        client.post("/my-list/save", data={"npi": npi})
    db.session.add(
        Clinician(npi=_npi(6), first_name="Gail", last_name="Sixth", verified_at=datetime.now(UTC))
    )
    db.session.commit()
    response = client.post("/my-list/save", data={"npi": _npi(6)}, follow_redirects=True)
    assert "Your list already has 5 clinicians. Remove one to save another." in _text(response)
    assert _kept(client) == ALL_FIVE


def test_an_unknown_npi_is_not_saved(client, directory):
    response = client.post("/my-list/save", data={"npi": "1234567893"}, follow_redirects=True)
    assert "We could not find that clinician to save." in _text(response)
    assert _kept(client) == []


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "\\\\evil", ""])
def test_back_only_goes_to_this_site(client, directory, back):
    response = client.post("/my-list/save", data={"npi": ANA, "back": back})
    assert response.headers["Location"] == "/my-list"


def test_the_list_shows_phones_addresses_plans_status_ages_and_988(client, directory):
    client.post("/my-list/save", data={"npi": ANA})
    client.post("/my-list/save", data={"npi": BEN})
    response = client.get("/my-list")
    page = _text(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert page.index("Ana Rivera") < page.index("Ben Okafor")
    assert '<a href="tel:+16175550101">(617) 555-0101</a>' in page
    assert "1 Main St, Cambridge, MA 02139" in page
    assert "Plans here: MassCare HMO" in page
    assert "Accepting new patients" in page
    assert "Listing verified 3 days ago" in page
    assert "The 988 Suicide & Crisis Lifeline answers any time, day or night." in page
    assert "/static/css/my-list.css" in page
    # Nothing about what the visitor needs: no concerns on the list.
    assert "Feeling down" not in page


def test_the_list_in_spanish(client, directory):
    client.post("/my-list/save", data={"npi": ANA})
    page = _text(client.get("/my-list", headers={"Accept-Language": "es"}))
    assert "<h1>Mi lista</h1>" in page
    assert "La Línea 988 de Prevención del Suicidio y Crisis atiende" in page
    assert "Enviar esta lista" in page


def test_remove(client, directory):
    client.post("/my-list/save", data={"npi": ANA})
    client.post("/my-list/save", data={"npi": BEN})
    response = client.post("/my-list/remove", data={"npi": ANA}, follow_redirects=True)
    assert "Removed from your list." in _text(response)
    assert _kept(client) == [BEN]


def test_an_empty_list_says_how_to_fill_it(client, directory):
    page = _text(client.get("/my-list"))
    assert "Your list is empty." in page
    assert 'action="/my-list/send"' not in page


def test_save_needs_its_csrf_token(app, client, directory):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/my-list/save", data={"npi": ANA}).status_code == 400
    assert _kept(client) == []


def _audit_rows() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("shortlist.%"))).all()


def test_send_by_email_over_smtp(client, directory, smtp_sink, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    client.post("/my-list/save", data={"npi": ANA})
    client.post("/my-list/save", data={"npi": BEN})
    data = {"channel": "email", "destination": "pat@example.org"}
    response = client.post("/my-list/send", data=data, follow_redirects=True)
    assert "Your list is on its way." in _text(response)
    [mail] = smtp_sink.to("pat@example.org")
    assert mail["Subject"] == "Your saved list of clinicians"
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "1. Ana Rivera, LICSW\n   Phone: (617) 555-0101\n" in body
    assert "2. Ben Okafor, PsyD\n" in body
    assert "In crisis? Call or text 988, the Suicide & Crisis Lifeline, any time." in body
    for word in ("depress", "anxiety", "trauma", "Social Worker", "Psycholog"):
        assert word.lower() not in body.lower()
    [row] = db.session.scalars(select(OutboxMessage)).all()
    assert (row.purpose, row.status) == ("shortlist", "sent")
    [event] = _audit_rows()
    assert (event.action, event.object_type, event.object_id) == (
        "shortlist.send_email", "outbox_message", str(row.id)
    )  # fmt: skip
    # The app's own log lines (the test SMTP server, mail.log, logs what it receives).
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]
    assert not [line for line in ours if "pat@example.org" in line]


def test_send_by_text_in_spanish(app, client, directory, receiver):  # noqa: F811
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url,
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )
    client.post("/my-list/save", data={"npi": ANA})
    data = {"channel": "sms", "destination": "(617) 555-0123"}
    response = client.post("/my-list/send", data=data, headers={"Accept-Language": "es"})
    assert response.status_code == 303
    [got] = receiver.requests
    form = parse_qs(got.body.decode())
    assert form["To"] == ["+16175550123"]
    assert form["Body"] == [
        "Su lista guardada:\n"
        "1. Ana Rivera, LICSW - (617) 555-0101 - 1 Main St, Cambridge, MA 02139\n"
        "¿En crisis? Llame o escriba al 988 a cualquier hora. Para español, marque 2."
    ]
    [event] = _audit_rows()
    assert event.action == "shortlist.send_sms"
    assert "555-0123" not in (event.object_id or "")


@pytest.mark.parametrize(
    "data",
    [
        {"channel": "sms", "destination": "12345"},
        {"channel": "email", "destination": "not-an-address"},
        {"channel": "fax", "destination": "pat@example.org"},
        {"channel": "email", "destination": ""},
    ],
)
def test_a_bad_destination_is_asked_again_and_nothing_is_queued(client, directory, data):
    client.post("/my-list/save", data={"npi": ANA})
    response = client.post("/my-list/send", data=data)
    assert response.status_code == 400
    assert "Type an email address or a US mobile number" in _text(response)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_an_empty_list_is_not_sent(app, client, directory):
    app.config["MAIL_ENABLED"] = True
    data = {"channel": "email", "destination": "pat@example.org"}
    response = client.post("/my-list/send", data=data)
    assert response.status_code == 400
    assert "Your list is empty: save a clinician first." in _text(response)
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.fixture
def limited(limited_client, directory):
    """An app with limits on: two sends per address per hour."""
    return limited_client(
        SHORTLIST_SEND_RATE_LIMIT="2/hour",
        # Mail on, to a port nothing listens on: each message waits for a retry.
        MAIL_ENABLED=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),
    )


def test_sends_are_rate_limited_per_address(limited):
    limited.post("/my-list/save", data={"npi": ANA})
    data = {"channel": "email", "destination": "pat@example.org"}

    def send(address: str) -> int:
        return limited.post(
            "/my-list/send", data=data, environ_base={"REMOTE_ADDR": address}
        ).status_code

    assert [send("192.0.2.1") for _ in range(3)] == [303, 303, 429]
    assert send("192.0.2.2") == 303
    # Saving and reading the list are never limited by it.
    assert limited.get("/my-list", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200


def test_only_the_channels_this_site_can_deliver_are_offered(app, client, directory):
    client.post("/my-list/save", data={"npi": ANA})
    page = _text(client.get("/my-list"))  # mail off, no SMS provider
    assert "Sending is not set up on this site." in page
    assert 'action="/my-list/send"' not in page
    data = {"channel": "email", "destination": "pat@example.org"}
    response = client.post("/my-list/send", data=data)
    assert response.status_code == 400
    assert "That way of sending is not available here." in _text(response)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    app.config["SMS_PROVIDER"] = "twilio"
    page = _text(client.get("/my-list"))
    assert 'value="sms" checked' in page
    assert 'value="email"' not in page
