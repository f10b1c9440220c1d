"""Call-back responsiveness added to the referrals' acknowledgement signal."""

from __future__ import annotations

from datetime import timedelta

from appointments.models import AppointmentRequest
from appointments.signals import ResponsivenessSource, combine, tally
from directory.extensions import db
from matching import weights
from matching.matcher import matcher
from matching.signals import ReferralSignals
from tests.appointments.world import NOW
from tests.web.seed_directory import PLAN_ID, ZIP

DAY = timedelta(days=1)


def test_tally_counts_on_time_answers_and_closed_windows():
    # NOW is a Tuesday: a request from last Tuesday's window has closed; today's has not.
    rows = [
        (1, NOW - 7 * DAY, NOW - 7 * DAY + timedelta(hours=2)),  # on time
        (1, NOW - 7 * DAY, NOW - 2 * DAY),  # answered after its deadline
        (1, NOW - 7 * DAY, None),  # never answered, window closed
        (1, NOW - timedelta(hours=1), None),  # window still open: not counted yet
        (2, NOW - (weights.RESPONSIVENESS_WINDOW_DAYS + 1) * DAY, None),  # too old
    ]

    assert tally(rows, NOW) == {1: (1, 3)}


def test_combine_adds_request_counts_to_referral_counts():
    referrals = {1: ReferralSignals(open_referrals=2, on_time=1, answered=2)}

    merged = combine(referrals, {1: (3, 4), 2: (1, 1), 3: (0, 0)})

    assert merged == {
        1: ReferralSignals(open_referrals=2, on_time=4, answered=6),
        2: ReferralSignals(open_referrals=0, on_time=1, answered=1),
    }
    # (1 + 1 prior) / (1 + 2 prior): one prompt answer lifts a clinician above no history.
    assert merged[2].responsiveness == 2 / 3


def _stored(clinician, created_at, first_response_at=None) -> None:
    db.session.add(
        AppointmentRequest(
            clinician=clinician,
            patient_name="Maria Lopez",
            phone="+16175550134",
            preferred_times=[],
            language="en",
            consent_given_at=created_at,
            status="new" if first_response_at is None else "contacted",
            created_at=created_at,
            updated_at=created_at,
            first_response_at=first_response_at,
        )
    )
    db.session.commit()


def test_the_source_reads_requests_beside_referrals(app, clinicians):
    prompt, slow = clinicians["Rivera"], clinicians["Okafor"]
    _stored(prompt, NOW - 7 * DAY, NOW - 7 * DAY + timedelta(hours=1))
    _stored(slow, NOW - 7 * DAY)
    source = ResponsivenessSource(db.session)

    found = source([prompt.id, slow.id, clinicians["Patel"].id], NOW)

    assert found == {
        prompt.id: ReferralSignals(on_time=1, answered=1),
        slow.id: ReferralSignals(on_time=0, answered=1),
    }
    assert source.referred(NOW) == {prompt.id, slow.id}
    assert source([], NOW) == {}


def test_the_matcher_ranks_with_call_back_responsiveness(app, clinicians):
    ana = clinicians["Rivera"]
    for days in (7, 8):
        _stored(ana, NOW - days * DAY, NOW - days * DAY + timedelta(hours=2))
    needs = matcher.needs_schema.load(
        {"postal_code": ZIP, "plan": PLAN_ID, "concerns": ["depression"]}
    )

    found = {m.candidate.clinician_id: m for m in matcher.find(needs, NOW).results}

    assert found[ana.id].signal == ReferralSignals(on_time=2, answered=2)
    # (2 + 1 prior) / (2 + 2 prior) of the responsiveness weight, against 0.5 with no history.
    assert dict(found[ana.id].components)["responsiveness"] == weights.RESPONSIVENESS * 0.75
    others = [m for cid, m in found.items() if cid != ana.id]
    assert others and {dict(m.components)["responsiveness"] for m in others} == {
        weights.RESPONSIVENESS * 0.5
    }
