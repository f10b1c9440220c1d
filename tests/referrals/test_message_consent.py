"""A Part 2 message goes only where the referral's consent permits a Part 2 disclosure."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db as _db
from referrals.errors import Blocked
from referrals.message_models import ReferralMessage
from referrals.models import Referral
from referrals.use_cases import messages
from tests.clock import service_today
from tests.referrals.world import actor_of, part2_consent, referral_payload, sud_payload

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
SUD_TEXT = "Started buprenorphine in May."
SUD_FILE = b"Consult note\nDiagnosis F11.20, on methadone.\n"


@pytest.fixture(autouse=True)
def store_dir(app, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "files")
    return tmp_path / "files"


def _sent(pcp, body) -> int:
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    referral_id = created.get_json()["id"]
    sent = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert sent.status_code == 200, sent.get_data(as_text=True)
    return referral_id


@pytest.fixture
def plain_rid(pcp, clinician, world):
    """A sent referral with no Part 2 content and no consent."""
    return _sent(pcp, referral_payload(world))


def _covered(pcp, world, **consent) -> int:
    """A sent Part 2 referral whose consent names Jane (and whatever `consent` adds)."""
    return _sent(pcp, sud_payload(world, **consent))


def _refusals(db):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral").order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome) for r in rows if r.action == "message"]


def _referral(rid) -> Referral:
    _db.session.expire_all()
    return _db.session.get(Referral, rid)


def test_a_part2_text_on_a_referral_without_part2_consent_is_refused(pcp, plain_rid, db):
    with pytest.raises(Blocked) as refused:
        messages.post(actor_of(pcp), plain_rid, {"body": SUD_TEXT}, [], NOW)

    assert refused.value.code == "part2_message_consent"
    assert refused.value.errors == {
        "consent": {"consent": "a substance use disorder referral needs a 42 CFR part 2 consent"}
    }
    assert _refusals(db) == [("message", "blocked")]
    assert db.session.scalars(select(ReferralMessage)).all() == []
    referral = _referral(plain_rid)
    assert (referral.part2, referral.part2_basis) == (False, [])


def test_a_sud_text_attachment_with_a_clean_body_is_refused_and_no_file_is_left(
    pcp, plain_rid, store_dir, db
):
    with pytest.raises(Blocked) as refused:
        messages.post(
            actor_of(pcp), plain_rid, {"body": "Consult note attached."}, [("n.txt", SUD_FILE)], NOW
        )

    assert refused.value.code == "part2_message_consent"
    assert _refusals(db) == [("message", "blocked")]
    assert db.session.scalars(select(ReferralMessage)).all() == []
    assert not store_dir.exists() or list(store_dir.iterdir()) == []


def test_non_sud_text_on_a_referral_without_consent_is_unaffected(pcp, plain_rid, db):
    posted = messages.post(actor_of(pcp), plain_rid, {"body": "Sleep is improving."}, [], NOW)

    assert (posted.part2, posted.part2_basis) == (False, [])
    assert _refusals(db) == []
    assert _referral(plain_rid).part2 is False


def test_a_covering_consent_admits_the_message_and_marks_the_referral(pcp, world, db):
    rid = _covered(pcp, world)
    posted = messages.post(actor_of(pcp), rid, {"body": SUD_TEXT}, [("n.txt", SUD_FILE)], NOW)

    assert (posted.part2, posted.part2_basis) == (
        True,
        ["message:F11.20", "message:buprenorphine", "message:methadone"],
    )
    referral = _referral(rid)
    assert referral.part2 is True
    assert referral.part2_basis == [
        "diagnoses:F11.20",
        "flag",
        "message:F11.20",
        "message:buprenorphine",
        "message:methadone",
    ]


def test_a_consent_naming_another_clinician_refuses_the_message(pcp, world, db):
    omar = {"name": "Omar Haddad", "npi": world.omar.npi}
    rid = _sent(pcp, referral_payload(world, consent=part2_consent(world, recipients=[omar])))

    with pytest.raises(Blocked) as refused:
        messages.post(actor_of(pcp), rid, {"body": SUD_TEXT}, [], NOW)

    assert refused.value.code == "part2_message_consent"
    assert refused.value.errors["consent"] == {
        "recipients": "the consent's recipients do not name the receiving clinician or practice"
    }


def _expiring(pcp, world, db, days: int) -> int:
    """A covered referral whose consent is then set to expire `days` from the service's today."""
    rid = _covered(pcp, world)
    referral = _referral(rid)
    referral.consent.expires_on = service_today() + timedelta(days=days)
    db.session.commit()
    return rid


def test_a_consent_expiring_today_still_admits_the_message(pcp, world, db):
    rid = _expiring(pcp, world, db, 0)
    assert messages.post(actor_of(pcp), rid, {"body": SUD_TEXT}, [], NOW).part2 is True


def test_a_consent_that_expired_yesterday_refuses_the_message(pcp, world, db):
    rid = _expiring(pcp, world, db, -1)
    with pytest.raises(Blocked) as refused:
        messages.post(actor_of(pcp), rid, {"body": SUD_TEXT}, [], NOW)
    yesterday = (service_today() - timedelta(days=1)).isoformat()
    assert refused.value.errors["consent"] == {"expires_on": f"the consent expired on {yesterday}"}


def test_a_receivers_sud_reply_needs_the_referring_practice_named(pcp, clinician, world, db):
    rid = _covered(pcp, world)
    with pytest.raises(Blocked) as refused:
        messages.post(actor_of(clinician), rid, {"body": "Plan: naltrexone."}, [], NOW)

    assert refused.value.code == "part2_reply_consent"
    assert refused.value.errors["consent"] == {
        "recipients": "the consent's recipients do not name the receiving clinician or practice"
    }
    assert _refusals(db) == [("message", "blocked")]


def test_a_receivers_sud_reply_goes_when_the_consent_names_the_practice(pcp, clinician, world, db):
    jane = {"name": "Jane Smith", "npi": world.jane.npi}
    both = [jane, {"name": "Riverside Primary Care"}]
    rid = _sent(pcp, referral_payload(world, consent=part2_consent(world, recipients=both)))
    posted = messages.post(actor_of(clinician), rid, {"body": "Plan: naltrexone."}, [], NOW)

    assert (posted.side, posted.part2, posted.part2_basis) == (
        "receiver",
        True,
        ["message:naltrexone"],
    )
    # A reply is the clinician's record, labelled on itself like a return: the referral stays.
    assert (_referral(rid).part2, _referral(rid).part2_basis) == (False, [])


def _reply_on_expiring_consent(pcp, clinician, world, db, days: int):
    """A receiver's admitted Part 2 reply; then the consent is set to expire `days` from today."""
    jane = {"name": "Jane Smith", "npi": world.jane.npi}
    both = [jane, {"name": "Riverside Primary Care"}]
    rid = _sent(pcp, referral_payload(world, consent=part2_consent(world, recipients=both)))
    note = b"Plan: naltrexone.\n"
    posted = messages.post(
        actor_of(clinician), rid, {"body": "Plan attached."}, [("p.txt", note)], NOW
    )
    referral = _referral(rid)
    referral.consent.expires_on = service_today() + timedelta(days=days)
    db.session.commit()
    return rid, posted.id, posted.attachments[0].id


def test_a_reply_is_shown_to_the_referrer_while_the_consent_stands_today(pcp, clinician, world, db):
    rid, message_id, file_id = _reply_on_expiring_consent(pcp, clinician, world, db, 0)
    shown = messages.thread(actor_of(pcp), rid)
    assert shown.withheld == {}
    assert messages.download(actor_of(pcp), rid, file_id).data == b"Plan: naltrexone.\n"


def test_a_reply_is_withheld_from_the_referrer_once_the_consent_expired(pcp, clinician, world, db):
    rid, message_id, file_id = _reply_on_expiring_consent(pcp, clinician, world, db, -1)
    yesterday = (service_today() - timedelta(days=1)).isoformat()

    shown = messages.thread(actor_of(pcp), rid)
    assert shown.withheld == {message_id: {"expires_on": f"the consent expired on {yesterday}"}}
    reads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral_message")
    )
    assert [(r.action, r.outcome) for r in reads][-1] == ("read", "blocked")
    with pytest.raises(Blocked) as refused:
        messages.download(actor_of(pcp), rid, file_id)
    assert refused.value.code == "part2_withheld"
    # Its author still reads it: the consent governs disclosure to the other side only.
    assert messages.thread(actor_of(clinician), rid).withheld == {}
