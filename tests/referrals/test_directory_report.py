"""Directory accuracy: each figure against hand-computed literals and a plain-Python recount."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from accounts.identity import actor_for_user
from directory.extensions import db
from directory.models import Clinician, NetworkParticipation
from referrals.directory_accuracy import (
    acknowledged_in_time,
    age_bucket,
    months_back,
    withhold,
)
from referrals.errors import Denied
from referrals.use_cases.directory_report import directory_figures
from tests.referrals.directory_world import (
    EASTERN,
    END,
    FRIDAY,
    NOW,
    START,
    TUESDAY_DUE,
    build_directory_history,
)
from tests.referrals.world import signed_in


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_directory_history()


def _figures(app, role, org, plans=()):
    user = signed_in(app, role, org, plans=plans).user
    return directory_figures(actor_for_user(user), START, END, NOW, EASTERN)


def test_age_buckets_at_their_edges():
    today = date(2025, 6, 30)
    morning = datetime(2025, 6, 30, 9, tzinfo=EASTERN)
    edges = (0, 30, 31, 90, 91, 180, 181, 365, 366)
    ages = {days: age_bucket(morning - timedelta(days=days), today, EASTERN) for days in edges}
    assert ages == {0: "0_30", 30: "0_30", 31: "31_90", 90: "31_90", 91: "91_180",
                    180: "91_180", 181: "181_365", 365: "181_365", 366: "over_365"}  # fmt: skip
    assert age_bucket(None, today, EASTERN) == "never"
    # 23:30 local on 1 April is 03:30 UTC on 2 April: the local day decides.
    late_evening = datetime(2025, 4, 2, 3, 30, tzinfo=UTC)
    assert age_bucket(late_evening, today, EASTERN) == "31_90"  # 90 days, not 89


def test_two_business_days_across_a_weekend():
    assert acknowledged_in_time(FRIDAY, TUESDAY_DUE, EASTERN)
    assert not acknowledged_in_time(FRIDAY, TUESDAY_DUE + timedelta(seconds=1), EASTERN)
    assert not acknowledged_in_time(FRIDAY, None, EASTERN)
    # Juneteenth (Thursday 19 June 2025) is skipped: Wednesday's referral is due Monday.
    wednesday = datetime(2025, 6, 18, 10, tzinfo=EASTERN)
    assert acknowledged_in_time(wednesday, datetime(2025, 6, 23, 10, tzinfo=EASTERN), EASTERN)
    assert not acknowledged_in_time(wednesday, datetime(2025, 6, 23, 11, tzinfo=EASTERN), EASTERN)


def test_twelve_months_back_keeps_the_day_or_the_months_last():
    assert months_back(date(2025, 6, 30), 12) == date(2024, 6, 30)
    assert months_back(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_back(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_back(date(2025, 1, 15), 12) == date(2024, 1, 15)


def test_withhold_hides_partners_until_eleven_and_never_zeros():
    rows = [{"k": "a", "n": 12}, {"k": "b", "n": 2}, {"k": "c", "n": 11}, {"k": "d", "n": 0}]
    total = {"n": 25}
    assert withhold(rows, total, "n", "k") == 2
    assert [r["n"] for r in rows] == [12, None, None, 0] and total["n"] == 25
    lone = [{"k": "a", "n": 3}, {"k": "b", "n": 0}]
    alone_total = {"n": 3}
    assert withhold(lone, alone_total, "n", "k") == 2
    assert lone[0]["n"] is None and alone_total["n"] is None


def test_verification_ages_for_an_admin(app, history):
    figures = _figures(app, "admin", history.pcp_org)["verification"]
    assert figures == {
        "listings": 9,
        "buckets": {"0_30": 3, "31_90": 2, "91_180": 1, "181_365": 1, "over_365": 1, "never": 1},
        "verified_within_90_days": 5,
        "share_verified_within_90_days": 0.5556,
    }


def test_verification_share_recounted_in_plain_python(app, history):
    staff = _figures(app, "plan_staff", history.plan_org, plans=["AcmeGold"])["verification"]
    ids = db.session.scalars(
        select(NetworkParticipation.clinician_id).where(
            NetworkParticipation.network_id == "AcmeGold"
        )
    ).all()
    within = 0
    for clinician in db.session.scalars(select(Clinician).where(Clinician.id.in_(ids))):
        if clinician.verified_at is not None:
            local = clinician.verified_at.replace(tzinfo=clinician.verified_at.tzinfo or UTC)
            within += (NOW.date() - local.astimezone(EASTERN).date()).days <= 90
    assert (staff["listings"], staff["verified_within_90_days"]) == (len(ids), within) == (8, 4)
    assert staff["share_verified_within_90_days"] == 0.5
    assert staff["buckets"]["never"] == 1  # Jane


def test_reports_and_flags_against_the_update_clock(app, history):
    figures = _figures(app, "admin", history.pcp_org)
    assert figures["reports"]["by_source"] == {"report": 3, "decline": 1, "bounce": 1}
    by_reason = figures["reports"]["by_reason"]
    assert {k: v for k, v in by_reason.items() if v} == {
        "wrong_phone": 1, "moved": 1, "not_accepting": 1, "other": 1, "bounced_email": 1,
    }  # fmt: skip
    assert figures["flags"] == {
        "items": 5, "listings_flagged": 4, "resolved": 3, "resolved_within_clock": 2, "open": 2,
        "open_overdue": 1, "share_resolved_within_clock": 0.5, "median_days_to_resolve": 3,
    }  # fmt: skip


def test_plan_staff_see_their_networks_flags_only(app, history):
    figures = _figures(app, "plan_staff", history.plan_org, plans=["AcmeGold"])
    assert figures["flags"] == {
        "items": 4, "listings_flagged": 3, "resolved": 2, "resolved_within_clock": 1, "open": 2,
        "open_overdue": 1, "share_resolved_within_clock": 0.3333, "median_days_to_resolve": 3.5,
    }  # fmt: skip
    assert figures["reports"]["by_reason"]["other"] == 0  # Omar's report is Beacon's


def test_declines_by_reason_with_partners_withheld(app, history):
    declines = _figures(app, "admin", history.pcp_org)["declines"]
    assert declines["reasons"] == [
        {"reason": "not_accepting_new_patients", "referrals": 12},
        {"reason": "not_in_network", "referrals": None},
        {"reason": "not_clinical_fit", "referrals": None},
        {"reason": "could_not_reach_patient", "referrals": 0},
        {"reason": "other", "referrals": None},
    ]
    assert declines["total"] == {"referrals": 26}


def test_responsiveness_per_clinician(app, history):
    figures = _figures(app, "admin", history.pcp_org)
    rows = {r["name"]: r for r in figures["responsiveness"]["clinicians"]}
    share = "share_acknowledged_within_2_business_days"
    assert (rows["Jane Smith"]["referrals"], rows["Jane Smith"][share]) == (22, 0.5)
    # Omar's 3 are withheld, and the next smallest (11, all in time) with them.
    assert (rows["Omar Diaz"]["referrals"], rows["Omar Diaz"][share]) == (None, None)
    assert (rows["Age Days0"]["referrals"], rows["Age Days0"][share]) == (None, None)
    assert figures["responsiveness"]["total"] == {"referrals": 36, share: 0.6944}
    assert figures["suppressed"] == 3 + 2


def test_plan_staff_responsiveness_is_their_members_only(app, history):
    figures = _figures(app, "plan_staff", history.plan_org, plans=["AcmeGold"])
    share = "share_acknowledged_within_2_business_days"
    rows = {r["name"]: (r["referrals"], r[share]) for r in figures["responsiveness"]["clinicians"]}
    assert rows == {"Jane Smith": (22, 0.5), "Age Days0": (11, 1.0)}
    assert figures["responsiveness"]["total"] == {"referrals": 33, share: 0.6667}
    beacon = _figures(app, "plan_staff", history.other_plan_org, plans=["BeaconPPO"])
    assert beacon["responsiveness"]["total"] == {"referrals": None, share: None}
    assert [r["name"] for r in beacon["responsiveness"]["clinicians"]] == ["Omar Diaz"]


def test_inactive_listings_over_twelve_months(app, history):
    admin = _figures(app, "admin", history.pcp_org)["inactive"]
    # Active: Jane and Days0 (accepted in June), Days30 (a visit exactly 12 months back).
    # Days31's acceptance a minute before that day began does not count.
    assert admin == {"listings": 9, "inactive": 6, "share_inactive": 0.6667, "since": "2024-06-30"}
    staff = _figures(app, "plan_staff", history.plan_org, plans=["AcmeGold"])["inactive"]
    assert (staff["listings"], staff["inactive"], staff["share_inactive"]) == (8, 5, 0.625)


def test_a_practice_is_refused(app, history):
    with pytest.raises(Denied):
        _figures(app, "pcp", history.pcp_org)


def test_responsiveness_and_declines_recounted_from_raw_events(app, history):
    """Counts from the ORM's events in plain Python, without the reporting code."""
    from collections import Counter

    from directory.business_days import is_business_day
    from referrals.models import Referral

    def due(sent):  # two business days later, counted by hand, same wall-clock time
        day, counted = sent.astimezone(EASTERN).date(), 0
        while counted < 2:
            day += timedelta(days=1)
            counted += is_business_day(day)
        return datetime.combine(day, sent.astimezone(EASTERN).timetz())

    received, in_time, declined = Counter(), Counter(), Counter()
    for referral in db.session.scalars(select(Referral)):
        at = {e.type: e.at.replace(tzinfo=e.at.tzinfo or UTC) for e in referral.events}
        if START <= at["send"].astimezone(EASTERN).date() <= END:
            received[referral.clinician_id] += 1
            ack = at.get("acknowledge")
            in_time[referral.clinician_id] += ack is not None and ack <= due(at["send"])
        if "decline" in at and START <= at["decline"].astimezone(EASTERN).date() <= END:
            declined[referral.decline_reason] += 1
    figures = _figures(app, "admin", history.pcp_org)
    rows = {r["clinician_id"]: r for r in figures["responsiveness"]["clinicians"]}
    assert set(rows) == set(received)
    jane = history.jane.id
    share = in_time[jane] / received[jane]
    assert rows[jane]["referrals"] == received[jane] == 22
    assert rows[jane]["share_acknowledged_within_2_business_days"] == share == 0.5
    assert figures["responsiveness"]["total"]["referrals"] == sum(received.values()) == 36
    shown = {r["reason"]: r["referrals"] for r in figures["declines"]["reasons"]}
    assert shown["not_accepting_new_patients"] == declined["not_accepting_new_patients"] == 12
    assert figures["declines"]["total"]["referrals"] == sum(declined.values()) == 26
