"""Referral signals: open load and on-time acknowledgement, from rows and from the table."""

from datetime import UTC, date, datetime, timedelta

from directory.models import Organization
from matching.signals import ReferralSignals
from referrals.followup import AWAITING_APPOINTMENT
from referrals.models import Referral
from referrals.signals import LOAD_STATUSES, ReferralSignalSource, summarize
from tests.matching.match_directory import NOW, add_clinician

FRIDAY = datetime(2026, 2, 27, 10, 0, tzinfo=UTC)  # NOW is the Wednesday after


def test_load_statuses_are_the_referrals_awaiting_an_appointment():
    assert set(LOAD_STATUSES) == set(AWAITING_APPOINTMENT)


def test_two_business_days_skip_the_weekend():
    rows = [
        (1, "acknowledged", FRIDAY, datetime(2026, 3, 3, 9, 59, tzinfo=UTC)),  # Tue: on time
        (1, "acknowledged", FRIDAY, datetime(2026, 3, 3, 10, 1, tzinfo=UTC)),  # Tue: late
        (1, "sent", FRIDAY, None),  # never acknowledged: window closed Tue 10:00
        (1, "sent", NOW - timedelta(hours=2), None),  # window still open: not judged
        (1, "closed", FRIDAY, FRIDAY + timedelta(hours=1)),  # on time, no longer open
    ]

    assert summarize(rows, NOW) == {1: ReferralSignals(open_referrals=4, on_time=2, answered=4)}


def test_old_referrals_count_as_load_but_not_as_history():
    old = NOW - timedelta(days=400)
    rows = [(7, "accepted", old, None), (7, "declined", old, old)]

    assert summarize(rows, NOW) == {7: ReferralSignals(open_referrals=1)}


def test_responsiveness_is_smoothed_towards_one_half():
    assert ReferralSignals().responsiveness == 0.5
    assert ReferralSignals(on_time=1, answered=1).responsiveness == 2 / 3
    assert ReferralSignals(on_time=0, answered=8).responsiveness == 0.1


def _referral(clinician, org, status, sent_at, acknowledged_at=None):
    return Referral(
        clinician_id=clinician.id,
        referring_organization_id=org.id,
        status=status,
        sent_at=sent_at,
        acknowledged_at=acknowledged_at,
        created_by="test",
        patient_name="Test Patient",
        patient_birth_date=date(1990, 1, 1),
        reason="test",
    )


def test_source_reads_the_referral_table(db):
    org = Organization(name="Primary Care Partners", kind="primary_care")
    db.session.add(org)
    busy, idle = add_clinician(1), add_clinician(2)
    db.session.add_all(
        [
            _referral(busy, org, "sent", FRIDAY),
            _referral(busy, org, "acknowledged", FRIDAY, FRIDAY + timedelta(days=1)),
            _referral(busy, org, "closed", FRIDAY, FRIDAY + timedelta(hours=3)),
        ]
    )
    db.session.commit()

    found = ReferralSignalSource(db.session)([busy.id, idle.id], NOW)

    assert found == {busy.id: ReferralSignals(open_referrals=2, on_time=2, answered=3)}
    assert ReferralSignalSource(db.session)([], NOW) == {}


def test_source_names_exactly_the_clinicians_whose_signals_count(db):
    org = Organization(name="Primary Care Partners", kind="primary_care")
    db.session.add(org)
    open_, recent, stale, draft = (add_clinician(n) for n in (1, 2, 3, 4))
    long_ago = NOW - timedelta(days=400)
    db.session.add_all(
        [
            _referral(open_, org, "accepted", long_ago),  # open: load, whenever sent
            _referral(recent, org, "closed", NOW - timedelta(days=10)),  # history in window
            _referral(stale, org, "closed", long_ago),  # neither
            _referral(draft, org, "draft", None),
        ]
    )
    db.session.commit()
    source = ReferralSignalSource(db.session)

    assert source.referred(NOW) == {open_.id, recent.id}
    everyone = [c.id for c in (open_, recent, stale, draft)]
    assert set(source(everyone, NOW)) <= source.referred(NOW)
