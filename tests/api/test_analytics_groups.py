"""The funnel by race and ethnicity, age band and county type, follow-up after a positive screen.

Figures are hand-computed from the history below; the counts are also recomputed in plain
Python from the raw rows, and every withheld cell is attacked by subtraction.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from accounts.identity import actor_for_user
from directory.extensions import db
from directory.models.verification import as_utc
from referrals.funnel import CELLS, MIN_CELL
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.use_cases.funnel import funnel_figures
from screening.models import ScreeningResult
from tests.referrals.world import build_world, signed_in

EASTERN = ZoneInfo("America/New_York")
MONDAY = datetime(2025, 3, 3, 10, tzinfo=EASTERN)
URL = "/api/v1/analytics/referrals?from=2025-03-01&to=2025-03-31&group_by="
# The ZIPs used, with their designation in directory/data (checked by hand against the CMS file).
DESIGNATIONS = {"02139": "Large Metro", "59001": "CEAC", "01001": "Metro"}


def _referral(w, born, postal, categories, steps, screened=False):
    """A referral sent on MONDAY; steps are (event type, days after sending, booked day)."""
    referral = Referral(
        status="sent", referring_organization_id=w.pcp_org.id, clinician_id=w.jane.id,
        created_by="user:1", patient_name="Test Patient", patient_birth_date=born,
        patient_postal_code=postal, reason="Low mood", sent_at=MONDAY.astimezone(UTC),
        race_ethnicity=[RaceEthnicity(category=c) for c in categories],
    )  # fmt: skip
    db.session.add(referral)
    for kind, day, booked in [("send", 0, None), *steps]:
        appointment = (MONDAY + timedelta(days=booked)).astimezone(UTC) if booked else None
        referral.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                          actor_role="pcp", at=(MONDAY + timedelta(days=day)).astimezone(UTC),
                          appointment_at=appointment)
        )  # fmt: skip
        if kind == "attend":
            referral.appointment_at = appointment
    if screened:
        referral.screenings.append(
            ScreeningResult(instrument="phq9", answers=[2] * 9, score=18, positive=True,
                            created_by="user:1", created_at=MONDAY.astimezone(UTC))
        )  # fmt: skip


def _seen(booked):
    return [("acknowledge", 1, None), ("accept", 1, None), ("schedule", 2, booked),
            ("attend", booked, None)]  # fmt: skip


@pytest.fixture
def history(app):
    """41 referrals sent Monday 3 March 2025 (Eastern); see each group's comment."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    w = build_world()
    # 12 White, 45 (born 1980), Cambridge MA: screened positive, answered next day, seen on
    # day 7 (11 of them: exactly 7 days after the screen) or day 8 (1).
    for i in range(12):
        _referral(w, date(1980, 1, 1), "02139", ["white"], _seen(7 if i < 11 else 8), True)
    # 11 Black, 24, Absarokee MT (CEAC): answered on day 4 (Friday: after 2 business days).
    for _ in range(11):
        _referral(w, date(2000, 6, 1), "59001", ["black_or_african_american"],
                  [("acknowledge", 4, None)])  # fmt: skip
    # 3 Asian and Hispanic (multiple), 2 who preferred not to answer: 75, Agawam MA (Metro).
    for _ in range(3):
        _referral(w, date(1950, 1, 1), "01001", ["asian", "hispanic_or_latino"], [])
    for _ in range(2):
        _referral(w, date(1950, 1, 1), "01001", ["prefer_not_to_answer"], [])
    # 13 with no demographics beyond the birth date (17 on the day: born 2007-03-04).
    for _ in range(13):
        _referral(w, date(2007, 3, 4), None, [], [])
    db.session.commit()
    return w


def _report(app, w, group_by):
    admin = signed_in(app, "admin", w.pcp_org)
    answer = admin.get(URL + group_by)
    assert answer.status_code == 200
    body = answer.get_json()
    return {g["key"]: g for g in body["groups"]}, body["total"], body["suppressed"]


def _plain_keys(referral):
    """Each grouping's key straight from the row, without the reporting code."""
    chosen = sorted(r.category for r in referral.race_ethnicity)
    race = "unknown" if not chosen else chosen[0] if len(chosen) == 1 else "multiple"
    born, sent = referral.patient_birth_date, as_utc(referral.sent_at).astimezone(EASTERN).date()
    age = sent.year - born.year - ((sent.month, sent.day) < (born.month, born.day))
    band = next(b for low, b in ((65, "65+"), (45, "45-64"), (26, "26-44"), (18, "18-25"),
                                 (12, "12-17"), (0, "0-11")) if age >= low)  # fmt: skip
    county = DESIGNATIONS.get(referral.patient_postal_code, "unknown")
    return {"race_ethnicity": race, "age_band": band, "county_type": county}


@pytest.mark.parametrize("group_by", ["race_ethnicity", "age_band", "county_type"])
def test_counts_match_plain_python(app, history, group_by):
    stages = {"send": "sent", "acknowledge": "acknowledged", "schedule": "scheduled",
              "attend": "attended"}  # fmt: skip
    expected = defaultdict(lambda: dict.fromkeys(stages.values(), 0))
    for referral in db.session.scalars(select(Referral)):
        for kind in {e.type for e in referral.events} & set(stages):
            expected[_plain_keys(referral)[group_by]][stages[kind]] += 1
    admin = signed_in(app, "admin", history.pcp_org)
    groups, _total = funnel_figures(
        actor_for_user(admin.user), group_by, date(2025, 3, 1), date(2025, 3, 31), EASTERN
    )
    assert {g["key"]: {c: g[c] for c in stages.values()} for g in groups} == expected


def test_by_race_and_ethnicity(app, history):
    rows, total, suppressed = _report(app, history, "race_ethnicity")
    assert sorted(rows) == ["black_or_african_american", "multiple", "prefer_not_to_answer",
                            "unknown", "white"]  # fmt: skip
    # 3 and 2 are withheld, and Black (11, the smallest shown) with them: 16 hidden in all.
    assert [rows[k]["sent"] for k in ("white", "black_or_african_american", "multiple",
                                      "prefer_not_to_answer", "unknown")] == [
        12, None, None, None, 13]  # fmt: skip
    assert total["sent"] == 41 and total["acknowledged"] == 23
    white = rows["white"]
    assert (white["scheduled"], white["attended"]) == (12, 12)
    assert white["median_days_to_appointment"] == 7 and white["p90_days_to_appointment"] == 7
    assert white["share_appointment_within_10_business_days"] == 1.0
    assert white["median_days_to_acknowledge"] == 1 and white["p90_days_to_acknowledge"] == 1
    assert white["share_acknowledged_within_2_business_days"] == 1.0
    # A withheld sent cell takes the row's timings with it.
    assert rows["black_or_african_american"]["median_days_to_acknowledge"] is None
    # 23 answered: 12 on day 1, 11 on day 4. Median the 12th (1), p90 the 21st (4), 12/23 in time.
    assert total["median_days_to_acknowledge"] == 1 and total["p90_days_to_acknowledge"] == 4
    assert total["share_acknowledged_within_2_business_days"] == 0.5217
    # Only the sent column has small cells (the others count 0 there, and zeros are shown).
    assert suppressed == 3


def test_follow_up_after_a_positive_screen(app, history):
    rows, total, _ = _report(app, history, "race_ethnicity")
    white = rows["white"]
    # 12 positive screens on Monday 3 March: 11 seen on 10 March (day 7, in), 1 on 11 March.
    assert (white["positive_screens"], white["follow_up_7_days"], white["follow_up_30_days"]) == (
        12, 11, 12)  # fmt: skip
    assert white["share_follow_up_within_7_days"] == 0.9167
    assert white["share_follow_up_within_30_days"] == 1.0
    assert total["positive_screens"] == 12 and total["follow_up_7_days"] == 11
    assert rows["unknown"]["positive_screens"] == 0
    assert rows["unknown"]["share_follow_up_within_7_days"] is None


def test_by_age_band(app, history):
    rows, total, suppressed = _report(app, history, "age_band")
    # 45 (12), 24 (11), 75 (5: withheld with the smallest shown, 18-25), 17 the day before
    # the 18th birthday (13).
    assert {k: r["sent"] for k, r in rows.items()} == {
        "45-64": 12, "18-25": None, "65+": None, "12-17": 13}  # fmt: skip
    assert total["sent"] == 41 and suppressed == 2


def test_by_county_type(app, history):
    rows, total, _ = _report(app, history, "county_type")
    assert {k: r["sent"] for k, r in rows.items()} == {
        "Large Metro": 12, "CEAC": None, "Metro": None, "unknown": 13}  # fmt: skip
    assert rows["Large Metro"]["follow_up_30_days"] == 12
    assert total["sent"] == 41


@pytest.mark.parametrize("group_by", ["race_ethnicity", "age_band", "county_type"])
def test_no_withheld_cell_can_be_recovered_by_subtraction(app, history, group_by):
    admin = signed_in(app, "admin", history.pcp_org)
    actor = actor_for_user(admin.user)
    raw, _ = funnel_figures(actor, group_by, date(2025, 3, 1), date(2025, 3, 31), EASTERN)
    raw = {g["key"]: g for g in raw}
    rows, total, _ = _report(app, history, group_by)
    for column in CELLS:
        hidden = [k for k, r in rows.items() if r[column] is None]
        for key in rows:
            # Nothing under 11 is ever shown (zero identifies nobody).
            assert rows[key][column] is None or not 0 < rows[key][column] < MIN_CELL
        if not hidden or total[column] is None:
            continue
        rest = total[column] - sum(r[column] for r in rows.values() if r[column] is not None)
        assert rest == sum(raw[k][column] for k in hidden)
        # Two or more cells share what is left, and it is no small count itself.
        assert len(hidden) >= 2 and rest >= MIN_CELL
    assert "Test Patient" not in str(rows)


def test_an_unknown_group_is_a_400(app, history):
    admin = signed_in(app, "admin", history.pcp_org)
    assert admin.get(URL + "county").status_code == 400
    assert admin.get(URL + "age").status_code == 400
