"""A deterministic year of referrals for the analytics dashboards, loaded into PostgreSQL by COPY.

Referrals, their lifecycle events, race/ethnicity rows, positive screens, summary rows and the
funnel rollup; each summary row is computed by referrals.summary.summary_row and counted into the
rollup by referrals.rollup.tally, the functions the application's flush hook uses, so the tables
hold what the application would have written.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from directory.county_types import _table as county_table
from directory.extensions import db
from directory.models import Clinician, Network, Organization
from directory.npi import npi_check_digit
from referrals.demographics import RACE_ETHNICITY_CODES
from referrals.rollup import KEYS, VALUES, records, tally
from referrals.summary import summary_row
from referrals.summary_models import ReferralSummary
from referrals.summary_months import rebuild_months

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
CLINICIANS = 2000
PRACTICES = 40
PLANS = ("BenchGold", "BenchSilver", "BenchMedicaid", "BenchPPO", "BenchHMO", "BenchDual")
LANGUAGES = (("en", 0.7), ("es", 0.2), ("zh", 0.04), ("vi", 0.03), (None, 0.03))
REFERRAL_COLUMNS = (
    "id", "kind", "status", "urgency", "substance_use", "part2", "part2_basis", "clinician_id",
    "plan_id", "referring_organization_id", "created_by", "patient_name", "patient_birth_date",
    "patient_preferred_language", "patient_member_id", "patient_postal_code", "reason",
    "diagnoses", "conditions", "medications", "needs", "patient_updates", "patient_notices",
    "created_at", "updated_at", "sent_at",
)  # fmt: skip
EVENT_COLUMNS = ("id", "referral_id", "type", "from_status", "to_status", "actor", "actor_role",
                 "at", "appointment_at")  # fmt: skip
SCREEN_COLUMNS = ("referral_id", "instrument", "answers", "score", "positive", "crisis", "needs",
                  "created_by", "created_at")  # fmt: skip
SUMMARY_COLUMNS = tuple(c.key for c in ReferralSummary.__table__.columns)


def _pick(rng: random.Random, weighted) -> object:
    pick = rng.random()
    for value, share in weighted:
        if pick < share:
            return value
        pick -= share
    return weighted[-1][0]


def _events(rng: random.Random, sent: datetime) -> list[tuple[str, datetime, datetime | None]]:
    """A plausible path: most acknowledged, many booked and seen, some declined or expired."""
    steps = [("send", sent, None)]
    if rng.random() < 0.1:
        return [*steps, ("expire", sent + timedelta(days=30), None)]
    ack = sent + timedelta(hours=rng.randint(1, 120))
    steps.append(("acknowledge", ack, None))
    if rng.random() < 0.1:
        return [*steps, ("decline", ack + timedelta(hours=2), None)]
    steps.append(("accept", ack + timedelta(hours=1), None))
    if rng.random() < 0.15:
        return steps
    booked = sent + timedelta(days=rng.randint(1, 35), hours=rng.randint(0, 8))
    steps.append(("schedule", ack + timedelta(hours=3), booked))
    steps.append(("attend" if rng.random() < 0.8 else "no_show", booked, None))
    return steps


class Loader:
    """Generates rows in order and streams them into COPY."""

    def __init__(self, seed: int, clinicians: list[int], practices: list[int], tz: ZoneInfo):
        self.rng, self.tz = random.Random(seed), tz
        self.clinicians, self.practices = clinicians, practices
        self.zips = sorted(county_table())[::97]
        self.event_id = 0

    def referral(self, i: int) -> tuple[tuple, list[tuple], list[tuple], tuple | None, tuple]:
        """One referral's rows: itself, its events, race rows, a screen or None, its summary."""
        rng = self.rng
        sent = YEAR_START + timedelta(seconds=rng.randint(0, 365 * 86400 - 1))
        plan = rng.choice(PLANS) if rng.random() < 0.8 else None
        fields = {
            "id": i, "plan_id": plan, "clinician_id": rng.choice(self.clinicians),
            "kind": "bh_clinician",
            "urgency": "urgent" if rng.random() < 0.15 else "routine",
            "patient_preferred_language": _pick(rng, LANGUAGES),
            "patient_birth_date": date(1940, 1, 1) + timedelta(days=rng.randint(0, 30000)),
            "patient_postal_code": rng.choice(self.zips), "decline_reason": None,
            "patient_member_id": f"M{i:08d}" if plan else None,
        }  # fmt: skip
        steps = _events(rng, sent)
        row = (i, "bh_clinician", "sent", fields["urgency"], False, False, "[]",
               fields["clinician_id"], plan, rng.choice(self.practices), "bench",
               f"Bench Patient {i}", fields["patient_birth_date"],
               fields["patient_preferred_language"], fields["patient_member_id"],
               fields["patient_postal_code"], "Low mood", "[]", "[]", "[]", "{}", False, "none",
               sent, steps[-1][1], sent)  # fmt: skip
        events = []
        for kind, at, booked in steps:
            self.event_id += 1
            events.append((self.event_id, i, kind, "x", "y", "bench", "pcp", at, booked))
        chosen = rng.sample(RACE_ETHNICITY_CODES, rng.choice((0, 1, 1, 1, 2)))
        races = [(i, category) for category in chosen]
        screen, screened_at = None, None
        if rng.random() < 0.1:
            screened_at = sent - timedelta(hours=2)
            screen = (i, "phq9", "[]", 14, True, False, "[]", "bench", screened_at)
        events_ns = [SimpleNamespace(type=k, at=a, appointment_at=b) for k, a, b in steps]
        # No episodes here: a visit is the referral's own attendance, on the day it was marked.
        seen = [at.astimezone(self.tz).date() for kind, at, _ in steps if kind == "attend"]
        made = summary_row(SimpleNamespace(**fields), events_ns, chosen, self.tz, screened_at, seen)
        return row, events, races, screen, tuple(made[c] for c in SUMMARY_COLUMNS)


def _npi(serial: int) -> str:
    first_nine = f"1{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def _directory(clinicians: int) -> tuple[list[int], list[int]]:
    """Practices, plans and clinicians through the ORM (few rows); their ids."""
    practices = [
        Organization(name=f"Bench Referrer {n:02d}", kind="primary_care") for n in range(PRACTICES)
    ]
    practices.append(Organization(name="Bench Health Plan", kind="health_plan"))
    plans = [Network(id=plan_id, name=plan_id, kind="plan") for plan_id in PLANS]
    people = [
        Clinician(npi=_npi(n), first_name="Bench", last_name=f"Clinician {n}", active=True)
        for n in range(clinicians)
    ]
    db.session.add_all([*practices, *plans, *people])
    db.session.commit()
    return [c.id for c in people], [p.id for p in practices[:-1]]


def populate(count: int, seed: int, tz: ZoneInfo) -> dict:
    """`count` referrals sent over 2025 with everything the dashboards read; row counts."""
    clinicians, practices = _directory(CLINICIANS)
    loader = Loader(seed, clinicians, practices, tz)
    raw = db.engine.raw_connection()
    copies = {
        "referral": REFERRAL_COLUMNS,
        "referral_event": EVENT_COLUMNS,
        "referral_race_ethnicity": ("referral_id", "category"),
        "screening_result": SCREEN_COLUMNS,
        "referral_summary": SUMMARY_COLUMNS,
    }
    counts = dict.fromkeys([*copies, "referral_rollup"], 0)
    rows: dict[str, list] = {table: [] for table in copies}
    rollup: dict = tally([])
    for i in range(1, count + 1):
        row, events, races, screen, summary = loader.referral(i)
        rows["referral"].append(row)
        rows["referral_event"] += events
        rows["referral_race_ethnicity"] += races
        rows["screening_result"] += [screen] if screen else []
        rows["referral_summary"].append(summary)
        tally([dict(zip(SUMMARY_COLUMNS, summary, strict=True))], into=rollup)
        if i % 50_000 == 0 or i == count:
            _copy(raw, copies, rows, counts)
    rows["referral_rollup"] = [tuple(r.values()) for r in records(rollup)]
    _copy(raw, {"referral_rollup": KEYS + VALUES}, rows, counts)
    with raw.cursor() as cur:
        for table in ("referral", "referral_event"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")  # fmt: skip
    raw.commit()
    raw.close()
    with db.engine.begin() as connection:
        counts["month_count_rows"] = rebuild_months(connection)
    return counts


def _copy(raw, copies: dict, rows: dict, counts: dict) -> None:
    """COPY the rows gathered so far, table by table in foreign-key order, then commit."""
    with raw.cursor() as cur:
        for table, columns in copies.items():
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
            counts[table] += len(rows[table])
            rows[table].clear()
    raw.commit()
