"""The directory report from summary columns and per-month counts: whole reports as literals."""

from datetime import date, datetime

import pytest
from sqlalchemy import delete, select

from accounts.identity import actor_for_user
from directory.extensions import db
from referrals.models import Referral
from referrals.summary_months import ClinicianMonth, DeclineMonth, rebuild_months, whole_months
from referrals.use_cases.directory_report import directory_figures
from tests.referrals.directory_world import EASTERN, NOW, build_directory_history, referral
from tests.referrals.world import signed_in


def _at(*parts) -> datetime:
    return datetime(*parts, tzinfo=EASTERN)


@pytest.fixture
def history(app):
    """The directory world plus declines at the period's edges and July referrals."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    w = build_directory_history()
    ack = ("acknowledge", _at(2025, 5, 20, 10))
    for declined in (_at(2025, 5, 31, 23, 59), _at(2025, 6, 1), _at(2025, 6, 30, 23, 59)):
        steps = [ack, ("decline", declined)]
        referral(w, w.jane, "AcmeGold", steps, _at(2025, 5, 20, 9), "not_accepting_new_patients")
    steps = [ack, ("decline", _at(2025, 7, 1))]
    referral(w, w.jane, "AcmeGold", steps, _at(2025, 5, 20, 9), "not_accepting_new_patients")
    for day in range(2, 13):
        sent = _at(2025, 7, day, 9)
        referral(w, w.aged[0], "AcmeGold", [("acknowledge", sent)], sent)
    db.session.commit()
    return w


def _report(app, w, start, end, role="admin", plans=()):
    org = w.pcp_org if role == "admin" else w.plan_org
    actor = actor_for_user(signed_in(app, role, org, plans=plans).user)
    figures = directory_figures(actor, start, end, NOW, EASTERN)
    figures.pop("verification"), figures.pop("reports"), figures.pop("flags")
    for row in figures["responsiveness"]["clinicians"]:
        del row["clinician_id"]  # ids differ between databases; names do not
    return figures


SHARE = "share_acknowledged_within_2_business_days"
INACTIVE = {"listings": 9, "inactive": 6, "share_inactive": 0.6667, "since": "2024-06-30"}


def _declines(accepting, total):
    """Declines per reason: 11 clinical fit, 2 not in network and Omar's 1 withheld."""
    counts = {"not_accepting_new_patients": accepting, "not_in_network": None}
    counts |= {"not_clinical_fit": None, "could_not_reach_patient": 0, "other": None}
    reasons = [{"reason": k, "referrals": n} for k, n in counts.items()]
    return {"reasons": reasons, "total": {"referrals": total}}


def test_june_as_a_whole_month_counts_declines_on_its_first_and_last_day(app, history):
    assert _report(app, history, date(2025, 6, 1), date(2025, 6, 30)) == {
        "as_of": "2025-06-30",
        "declines": _declines(14, 28),
        "responsiveness": {
            "clinicians": [
                {"npi": "1000000012", "name": "Jane Smith", "referrals": 22, SHARE: 0.5},
                {"npi": "1000000020", "name": "Omar Diaz", "referrals": None, SHARE: None},
                {"npi": "1000000103", "name": "Age Days0", "referrals": None, SHARE: None},
            ],
            "total": {"referrals": 36, SHARE: 0.6944},
        },
        "inactive": INACTIVE,
        "suppressed": 5,
    }


def test_mid_may_to_mid_july_adds_the_partial_months_row_by_row(app, history):
    assert _report(app, history, date(2025, 5, 15), date(2025, 7, 10)) == {
        "as_of": "2025-06-30",
        "declines": _declines(16, 30),
        "responsiveness": {
            "clinicians": [
                {"npi": "1000000012", "name": "Jane Smith", "referrals": 51, SHARE: 0.7843},
                {"npi": "1000000020", "name": "Omar Diaz", "referrals": None, SHARE: None},
                {"npi": "1000000103", "name": "Age Days0", "referrals": None, SHARE: None},
            ],
            "total": {"referrals": 75, SHARE: 0.8533},
        },
        "inactive": INACTIVE,
        "suppressed": 5,
    }


def test_plan_staff_and_a_single_day_read_the_rows(app, history):
    friday = _report(app, history, date(2025, 6, 13), date(2025, 6, 13))
    assert friday["responsiveness"]["total"] == {"referrals": 33, SHARE: 0.6667}
    assert friday["declines"]["total"] == {"referrals": 0}
    staff = _report(app, history, date(2025, 5, 15), date(2025, 7, 10), "plan_staff", ["AcmeGold"])
    rows = {r["name"]: r["referrals"] for r in staff["responsiveness"]["clinicians"]}
    assert rows == {"Jane Smith": 51, "Age Days0": 20}
    assert staff["responsiveness"]["total"] == {"referrals": 71, SHARE: 0.8451}
    assert staff["declines"]["total"] == {"referrals": 29}
    assert staff["inactive"] == {**INACTIVE, "listings": 8, "inactive": 5, "share_inactive": 0.625}


def test_whole_months_of_a_period():
    assert whole_months(date(2025, 5, 15), date(2025, 7, 10)) == (date(2025, 6, 1),) * 2
    assert whole_months(date(2025, 6, 1), date(2025, 6, 30)) == (date(2025, 6, 1),) * 2
    assert whole_months(date(2025, 1, 1), date(2025, 12, 31)) == (
        date(2025, 1, 1),
        date(2025, 12, 1),
    )
    assert whole_months(date(2025, 6, 2), date(2025, 7, 30)) is None
    assert whole_months(date(2024, 2, 1), date(2024, 2, 28)) is None  # 2024 has a 29th


def _months() -> dict:
    rows = db.session.scalars(select(ClinicianMonth).where(ClinicianMonth.received > 0))
    return {(m.clinician_id, m.zone, m.month): (m.received, m.in_time) for m in rows}


def _declines_kept() -> dict:
    rows = db.session.scalars(select(DeclineMonth).where(DeclineMonth.declined > 0))
    return {(d.clinician_id, d.month, d.reason): d.declined for d in rows}


def test_decline_months_are_the_declines_local_month_and_follow_a_move(app, history):
    jane, omar = history.jane.id, history.omar.id
    june, accepting = date(2025, 6, 1), "not_accepting_new_patients"
    assert _declines_kept() == {
        (jane, date(2025, 5, 1), accepting): 1,  # May 31, 23:59 Eastern
        (jane, june, accepting): 14,
        (jane, june, "not_clinical_fit"): 11,
        (jane, june, "not_in_network"): 2,
        (omar, june, "other"): 1,
        (jane, date(2025, 7, 1), accepting): 1,
    }
    moved = db.session.scalars(select(Referral).where(Referral.decline_reason == "other")).one()
    moved.decline_reason = "not_in_network"
    db.session.commit()
    assert _declines_kept()[(omar, june, "not_in_network")] == 1
    assert (omar, june, "other") not in _declines_kept()


def test_month_counts_follow_every_write_and_match_a_recount(app, history):
    jane, days0 = history.jane.id, history.aged[0].id
    zone = "America/New_York"
    assert _months()[(jane, zone, date(2025, 6, 1))] == (22, 11)
    assert _months()[(days0, zone, date(2025, 7, 1))] == (11, 11)
    moved = db.session.scalars(
        select(Referral).where(Referral.clinician_id == days0).order_by(Referral.id)
    ).all()
    moved[-1].clinician_id = jane  # a July referral moves to Jane
    db.session.delete(moved[0])  # a June one is removed
    db.session.commit()
    kept = _months()
    assert kept[(days0, zone, date(2025, 7, 1))] == (10, 10)
    assert kept[(jane, zone, date(2025, 7, 1))] == (1, 1)
    assert kept[(days0, zone, date(2025, 6, 1))] == (10, 10)
    declines = _declines_kept()
    db.session.execute(delete(ClinicianMonth))
    db.session.execute(delete(DeclineMonth))
    rebuild_months(db.session.connection())
    assert (_months(), _declines_kept()) == (kept, declines)
