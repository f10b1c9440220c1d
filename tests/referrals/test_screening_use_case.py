"""record_screening and open_and_send's screening: who may, what is audited, what is kept."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.errors import Denied, Malformed
from referrals.models import Referral
from referrals.use_cases.screenings import prefilled_needs, scored_input
from screening.models import ScreeningResult
from tests.referrals.world import actor_of, referral_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _screening_audit(db):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "screening").order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def test_a_clinician_may_not_record_a_screening_and_the_refusal_is_audited(db, clinician):
    body = {"instrument": "phq2", "answers": [0, 0]}

    with pytest.raises(Denied):
        use_cases.record_screening(actor_of(clinician), body, NOW)

    assert db.session.scalars(select(ScreeningResult)).all() == []
    assert _screening_audit(db) == [("create", "denied", None)]


def test_a_body_that_is_not_an_object_is_malformed(db, pcp):
    with pytest.raises(Malformed) as raised:
        use_cases.record_screening(actor_of(pcp), ["phq9"], NOW)

    assert raised.value.status == 400
    assert _screening_audit(db) == [("create", "invalid", None)]


def test_an_unattached_screening_is_kept_for_the_organization(db, pcp, world):
    recorded = use_cases.record_screening(
        actor_of(pcp), {"instrument": "isi", "answers": [2, 2, 2, 2, 2, 2, 2]}, NOW
    )

    stored = db.session.get(ScreeningResult, recorded.result.id)
    assert (stored.organization_id, stored.referral_id) == (world.pcp_org.id, None)
    assert (stored.score, stored.severity, stored.positive) == (
        14,
        "subthreshold insomnia",
        False,
    )


def test_prefilled_needs_add_the_concern_once_and_only_when_positive():
    _data, positive = scored_input({"instrument": "gad2", "answers": [2, 1]})
    _data, negative = scored_input({"instrument": "gad2", "answers": [1, 1]})

    assert prefilled_needs({"concerns": ["anxiety"]}, positive) == {"concerns": ["anxiety"]}
    assert prefilled_needs({"languages": ["es"]}, positive) == {
        "languages": ["es"],
        "concerns": ["anxiety"],
    }
    assert prefilled_needs({}, negative) == {}


def test_open_and_send_refuses_a_bad_screening_before_anything_is_made(db, pcp, world):
    screening = {"instrument": "gad7", "answers": [0, 0, 0, 0, 0, 0, 9]}

    with pytest.raises(Malformed) as raised:
        use_cases.open_and_send(actor_of(pcp), referral_payload(world), [], NOW, screening)

    assert raised.value.errors == {
        "screening": {"answers": {6: ["item 7 (/69736-7): 9 is not one of 0, 1, 2, 3"]}}
    }
    assert db.session.scalars(select(Referral)).all() == []
    assert db.session.scalars(select(ScreeningResult)).all() == []
