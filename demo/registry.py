"""Demo registry: synthetic patients of the demo practice with PHQ-9 / GAD-7 histories.

Each history goes through the referral use cases (open and send, screenings, accept, schedule,
attend), so the registry rows, the audit trail and the charts are what real use would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from demo.care_plan import PLANS, build_plan, send_demo_return
from referrals import use_cases

# Answers in item order that add up to each total (PHQ-9: nine items; GAD-7: seven).
PHQ9 = {
    21: [3, 3, 3, 2, 2, 2, 2, 2, 2],
    18: [2, 2, 2, 2, 2, 2, 2, 2, 2],
    16: [2, 2, 2, 2, 2, 2, 2, 1, 1],
    14: [2, 2, 2, 2, 2, 1, 1, 1, 1],
    12: [2, 2, 2, 1, 1, 1, 1, 1, 1],
    9: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    6: [1, 1, 1, 1, 1, 1, 0, 0, 0],
    3: [1, 1, 1, 0, 0, 0, 0, 0, 0],
}
GAD7 = {15: [3, 2, 2, 2, 2, 2, 2], 11: [2, 2, 2, 2, 1, 1, 1], 6: [1, 1, 1, 1, 1, 1, 0]}


@dataclass(frozen=True)
class History:
    """One synthetic patient: scores (instrument, total, days ago) and a visit (days ago)."""

    name: str
    birth: str
    member: str
    scores: tuple[tuple[str, int, int], ...]
    visit_days_ago: int | None


HISTORIES = (
    History(
        "Avery Demo",
        "1979-03-14",
        "DEMO0001",
        (("phq9", 18, 120), ("phq9", 12, 84), ("phq9", 6, 20), ("gad7", 15, 120), ("gad7", 6, 20)),
        110,
    ),
    History(
        "Blake Demo",
        "1985-07-02",
        "DEMO0002",
        (("phq9", 16, 100), ("phq9", 14, 60), ("phq9", 14, 10)),
        92,
    ),
    History(
        "Casey Demo",
        "1990-11-23",
        "DEMO0003",
        (("phq9", 21, 150), ("phq9", 9, 90), ("phq9", 3, 14)),
        140,
    ),
    History("Dana Demo", "1968-01-30", "DEMO0004", (("phq9", 14, 75), ("phq9", 12, 45)), 70),
    History("Emery Demo", "2001-05-09", "DEMO0005", (("phq9", 12, 40), ("gad7", 11, 40)), None),
    History("Finley Demo", "1995-09-17", "DEMO0006", (("phq9", 16, 12),), None),
)


def _at(day: date) -> datetime:
    """Mid-afternoon UTC: the same local date in any US time zone."""
    return datetime.combine(day, time(17, 0), tzinfo=UTC)


def _body(history: History, clinician_npi: str, location_id: int, plan: str | None) -> dict:
    return {
        "patient": {"name": history.name, "birth_date": history.birth, "member_id": history.member},
        "clinician_npi": clinician_npi,
        "location_id": location_id,
        "plan": plan,
        "reason": "Low mood and worry for several months",
        "urgency": "routine",
        "substance_use": False,
        "needs": {"concerns": ["depression"]},
    }


def _visit(clinician_actor, referral_id: int, day: date) -> None:
    moment = _at(day)
    step = {"type": "accept"}
    use_cases.move(clinician_actor, referral_id, step, moment, acknowledge_on_the_way=True)
    slot = {"type": "schedule", "appointment_at": moment.isoformat()}
    use_cases.move(clinician_actor, referral_id, slot, moment)
    use_cases.move(clinician_actor, referral_id, {"type": "attend"}, moment)


def load_histories(
    pcp_actor, clinician_actor, clinician_npi, location_id, plan, today, care_manager_org=None
) -> int:
    """Refer each demo patient, record their scores and visit (some a return and a shared
    care plan, with the care manager's organization on the team); returns patients made."""
    for history in HISTORIES:
        first = max(days for _i, _t, days in history.scores)
        opened = _at(today - timedelta(days=first))
        body = _body(history, clinician_npi, location_id, plan)
        referral = use_cases.open_and_send(pcp_actor, body, [], opened)
        for instrument, total, days in history.scores:
            answers = (PHQ9 if instrument == "phq9" else GAD7)[total]
            screening = {"instrument": instrument, "answers": answers, "referral_id": referral.id}
            use_cases.record_screening(pcp_actor, screening, _at(today - timedelta(days=days)))
        if history.visit_days_ago is None:
            continue
        visit = today - timedelta(days=history.visit_days_ago)
        _visit(clinician_actor, referral.id, visit)
        shared = PLANS.get(history.member)
        if shared is not None:
            send_demo_return(clinician_actor, referral.id, visit, today)
            build_plan(pcp_actor, referral.episode_id, shared, care_manager_org, visit)
    return len(HISTORIES)
