"""A deterministic registry population: episodes with PHQ-9 / GAD-7 histories and BH visits.

The rows the registry page reads (episode, registry_entry) are written in bulk; each entry is
computed by registry.measures.summarize, the function the application's refresh uses.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert

from directory.extensions import db
from directory.models import Network, Organization
from episodes.models import Episode
from registry.measures import INSTRUMENTS, Score, summarize
from registry.models import RegistryEntry

PRACTICES = 20
# The measured practice holds a quarter of the episodes; the measured plan half of them.
MEASURED_SHARE = 0.25
PLANS = (("BenchPlanA", 0.5), ("BenchPlanB", 0.3))
CHUNK = 5000


def _scores(rng: random.Random, start: date, today: date) -> list[Score]:
    """Screens about every four weeks from `start`, drifting down with noise."""
    found, on, value = [], start, rng.randint(6, 24)
    while on <= today and len(found) < 8:
        found.append(Score(on, value, value >= 10))
        on += timedelta(days=rng.randint(14, 45))
        value = max(0, min(27, value - rng.randint(0, 5) + rng.randint(0, 2)))
    return found


def _visits(rng: random.Random, start: date, today: date) -> list[date]:
    if rng.random() < 0.3:
        return []
    first = start + timedelta(days=rng.randint(3, 45))
    return sorted({min(today, first + timedelta(days=rng.randint(0, 150))) for _ in range(3)})


def _plan(rng: random.Random) -> str | None:
    pick = rng.random()
    for plan_id, share in PLANS:
        if pick < share:
            return plan_id
        pick -= share
    return None


def _episode_rows(rng, i: int, practices: list[int], today: date):
    org = practices[0] if rng.random() < MEASURED_SHARE else rng.choice(practices[1:])
    plan = _plan(rng)
    episode = {
        "id": i,
        "organization_id": org,
        "plan_id": plan,
        "patient_name": f"Bench Patient {i:06d}",
        "patient_name_key": f"{i:06d} bench patient",
        "patient_birth_date": date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
        "patient_member_id": f"M{i:08d}" if plan else None,
        "created_by": "bench",
    }
    start = today - timedelta(days=rng.randint(0, 240))
    visits = _visits(rng, start, today)
    entries = []
    for instrument in INSTRUMENTS:
        if instrument == "gad7" and rng.random() < 0.4:
            continue
        summary = summarize(instrument, _scores(rng, start, today), visits)
        entries.append(
            {
                "episode_id": i,
                "instrument": instrument,
                "organization_id": org,
                "plan_id": plan,
                "plan_member": plan is not None,
                "part2": rng.random() < 0.02,
                **vars(summary),
            }
        )
    return episode, entries


def _flush(episodes: list, entries: list) -> None:
    if episodes:
        db.session.execute(insert(Episode), episodes)
        db.session.execute(insert(RegistryEntry), entries)
    episodes.clear()
    entries.clear()


def populate(count: int, seed: int, today: date) -> dict:
    """Practices, plans and `count` episodes with registry rows; returns the measured ids."""
    rng = random.Random(seed)
    orgs = [
        Organization(name=f"Bench Practice {n:02d}", kind="primary_care") for n in range(PRACTICES)
    ]
    plan_org = Organization(name="Bench Health Plan", kind="health_plan")
    plans = [Network(id=plan_id, name=plan_id, kind="plan") for plan_id, _ in PLANS]
    db.session.add_all([*orgs, plan_org, *plans])
    db.session.flush()
    practices = [org.id for org in orgs]
    episodes, entries = [], []
    for i in range(1, count + 1):
        episode, rows = _episode_rows(rng, i, practices, today)
        episodes.append(episode)
        entries.extend(rows)
        if len(episodes) >= CHUNK:
            _flush(episodes, entries)
    _flush(episodes, entries)
    db.session.commit()
    return {"practice": orgs[0], "plan_org": plan_org, "plan_id": PLANS[0][0]}
