"""Demo referral history: months of referrals from the demo practice, for the reports.

Written with the models the referral use cases write (referral, its events, race and
ethnicity rows, an attached PHQ-9), not through the use cases: those take ~120 ms a referral
(notices, audit, a commit each; measured on SQLite), so 600 would take over a minute. Each
referral's path comes from its own seeded generator: the same seed and count give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from directory.county_types import county_type
from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, Location, NetworkParticipation
from referrals.lifecycle import TRANSITIONS
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.transitions import STAMPS
from screening.definitions import instruments
from screening.models import ScreeningResult
from screening.scorer import score

CREATED_BY = "demo:history"  # marks the rows this module writes (and replaces)
HISTORY_DAYS = 180
EXPIRE_AFTER_DAYS = 14
LANGUAGES = (("en", 70), ("es", 18), ("zh", 4), ("vi", 3), ("ru", 3), ("ar", 2))
# Self-reported answers, weighted roughly like US adults in primary care; some prefer not to
# answer, a few are not asked.
RACE_ETHNICITY = (
    (("white",), 48), (("hispanic_or_latino",), 14), (("black_or_african_american",), 12),
    (("asian",), 6), (("hispanic_or_latino", "white"), 4),
    (("black_or_african_american", "white"), 2),
    (("middle_eastern_or_north_african",), 2), (("american_indian_or_alaska_native",), 1),
    (("native_hawaiian_or_pacific_islander",), 1), (("prefer_not_to_answer",), 6), ((), 4),
)  # fmt: skip
AGES = ((6, 11, 5), (12, 17, 10), (18, 25, 16), (26, 44, 34), (45, 64, 25), (65, 88, 10))
# How much harder getting seen is: farther from dense care, and outside English.
COUNTY_FRICTION = {"Large Metro": 0, "Metro": 0, "Micro": 1, "Rural": 2, "CEAC": 3}
LANGUAGE_FRICTION = 2
# PHQ-9 answers in item order (item 9, self-harm, left at 0: a crisis is not a referral).
PHQ9_ANSWERS = (
    [2, 2, 2, 2, 2, 2, 2, 2, 0], [3, 3, 2, 2, 2, 2, 2, 2, 0], [2, 2, 2, 1, 1, 1, 1, 1, 0],
    [1, 1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0, 0],
)  # fmt: skip
DECLINES = ("not_clinical_fit", "could_not_reach_patient", "other")


@dataclass(frozen=True)
class Target:
    """A demo clinician a referral may go to: where they practise and their first plan."""

    clinician_id: int
    location_id: int
    postal_code: str
    plan_id: str | None


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _path(rng: random.Random, friction: int) -> list[tuple[str, float, float | None]]:
    """The events after sending: (type, days after sending, booked day for a schedule)."""
    if rng.random() > 0.93 - 0.05 * friction:
        return [("expire", EXPIRE_AFTER_DAYS, None)]
    ack = round(rng.expovariate(1 / (0.6 + 0.7 * friction)), 2)
    if rng.random() < 0.08 + 0.04 * friction:
        return [("acknowledge", ack, None), ("decline", ack + 0.1, None)]
    booked = float(int(ack) + rng.randint(3, 9) + rng.randint(0, 3 * friction))
    steps = [("acknowledge", ack, None), ("accept", ack + 0.05, None)]
    steps.append(("schedule", ack + 0.1, booked))
    missed = rng.random() < 0.08 + 0.04 * friction
    return [*steps, ("no_show" if missed else "attend", booked + 0.25, None)]


def _birth_date(rng: random.Random, sent: date) -> date:
    low, high = _pick(rng, [((lo, hi), w) for lo, hi, w in AGES])
    return sent - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))


def _screening(rng: random.Random, organization_id: int, at: datetime) -> ScreeningResult:
    scored = score(instruments()["phq9"], rng.choice(PHQ9_ANSWERS))
    return ScreeningResult(
        instrument="phq9", answers=list(scored.answers), score=scored.score,
        severity=scored.severity, positive=scored.positive, crisis=scored.crisis,
        organization_id=organization_id, created_by=CREATED_BY, created_at=at,
    )  # fmt: skip


def _events(referral: Referral, steps, sent_at: datetime, now: datetime, rng) -> None:
    """Append the events that have happened by `now`, stamping the referral as fire() does."""
    status = "draft"
    for kind, day, booked in [("send", 0.0, None), *steps]:
        at = sent_at + timedelta(days=day)
        if at > now:
            break
        target = TRANSITIONS[kind][1]
        appointment = sent_at + timedelta(days=booked) if booked is not None else None
        reason = rng.choice(DECLINES) if kind == "decline" else None
        referral.events.append(
            ReferralEvent(type=kind, from_status=status, to_status=target, actor=CREATED_BY,
                          actor_role="system", at=at, reason=reason, appointment_at=appointment)
        )  # fmt: skip
        status = target
        if kind in STAMPS:
            setattr(referral, STAMPS[kind], at)
        referral.appointment_at = appointment or referral.appointment_at
        referral.decline_reason = reason or referral.decline_reason
        referral.updated_at = at
    referral.status = status


def demo_referral(i: int, seed: int, targets, organization_id: int, now: datetime, tz):
    """The i-th referral of the history, with its own generator (same seed, same referral)."""
    rng = random.Random(f"{seed}:{i}")
    target = rng.choice(targets)
    language = _pick(rng, LANGUAGES)
    county = county_type(target.postal_code)
    friction = COUNTY_FRICTION.get(county, 1) + (language != "en") * LANGUAGE_FRICTION
    day = now.astimezone(tz).date() - timedelta(days=rng.randint(1, HISTORY_DAYS))
    sent_at = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tz)
    sent_at = sent_at.astimezone(UTC)
    plan = target.plan_id if rng.random() < 0.75 else None
    member = f"DEMOH{i + 1:05d}" if plan else None
    referral = Referral(
        kind="bh_clinician", urgency="urgent" if rng.random() < 0.12 else "routine",
        clinician_id=target.clinician_id, location_id=target.location_id, plan_id=plan,
        referring_organization_id=organization_id, created_by=CREATED_BY,
        patient_name=f"Demo Patient {i + 1:05d}", patient_birth_date=_birth_date(rng, day),
        patient_preferred_language=language, patient_member_id=member,
        patient_postal_code=target.postal_code if rng.random() < 0.9 else None,
        reason="Low mood and anxiety", needs={}, created_at=sent_at, updated_at=sent_at,
        race_ethnicity=[RaceEthnicity(category=c) for c in _pick(rng, RACE_ETHNICITY)],
    )  # fmt: skip
    if rng.random() < 0.45:
        referral.screenings.append(_screening(rng, organization_id, sent_at))
    _events(referral, _path(rng, friction), sent_at, now, rng)
    return referral


def demo_history(count: int, seed: int, targets, organization_id: int, now, tz: ZoneInfo):
    """`count` referrals sent over the HISTORY_DAYS before `now`, as far as they got by then."""
    return [demo_referral(i, seed, targets, organization_id, now, tz) for i in range(count)]


def demo_targets(limit: int = 400) -> list[Target]:
    """Active clinicians taking new patients at a place with a ZIP, by id, with a plan if any."""
    plan = (
        select(func.min(NetworkParticipation.network_id))
        .where(NetworkParticipation.clinician_id == Clinician.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Clinician.id, func.min(Location.id), plan)
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .join(Location, Location.id == ClinicianLocation.location_id)
        .where(Clinician.active.is_(True), Clinician.accepting_new_patients.is_(True))
        .where(Location.postal_code.is_not(None))
        .group_by(Clinician.id)
        .order_by(Clinician.id)
        .limit(limit)
    ).all()
    postal = dict(db.session.execute(select(Location.id, Location.postal_code).where(
        Location.id.in_([location for _, location, _ in rows])
    )).all())  # fmt: skip
    return [Target(c, loc, postal[loc], p) for c, loc, p in rows]


def replace_history(referrals: Sequence[Referral]) -> int:
    """Remove the previous demo history and store this one, in one transaction."""
    old = select(Referral.id).where(Referral.created_by == CREATED_BY)
    for model in (ScreeningResult, RaceEthnicity, ReferralEvent):
        db.session.execute(delete(model).where(model.referral_id.in_(old)))
    db.session.execute(delete(Referral).where(Referral.created_by == CREATED_BY))
    db.session.add_all(referrals)
    db.session.commit()
    return len(referrals)
