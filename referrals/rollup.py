"""The funnel rollup: summary rows counted per local send month, plan and group key.

Every summary row adds one to a "stages" cell per group dimension, and one to a "booked" /
"answered" (days, in time) cell when it has those days. The flush that rewrites summary rows
takes the old rows' cells out and adds the new ones in (referrals.summary.rewrite), so the
rollup is the summary table counted, in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import product
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from directory.models.verification import as_utc
from referrals.summary_models import ReferralRollup, ReferralSummary

UNKNOWN = "unknown"
# group_by -> the summary column it groups on; group_by=clinician has too many keys to roll up.
DIMENSIONS = {
    "plan": "plan_id",
    "language": "language",
    "kind": "kind",
    "urgency": "urgency",
    "race_ethnicity": "race_ethnicity",
    "age_band": "age_band",
    "county_type": "county_type",
}
STAGE_FLAGS = ("acknowledged", "scheduled", "attended", "declined", "no_show", "expired")
FOLLOW_UPS = ("follow_up_7_days", "follow_up_30_days")
# The counted columns, in this order in every cell vector; "n" is the referrals a cell counts.
VALUES = ("n", *STAGE_FLAGS, "positive_screens", *FOLLOW_UPS)
# measure -> the summary's (days, came in time) columns it counts.
HISTOGRAMS = {
    "booked": ("days_to_appointment", "appointment_in_time"),
    "answered": ("days_to_acknowledge", "acknowledged_in_time"),
}
KEYS = ("zone", "dimension", "month", "all_plans", "plan_id", "plan_member", "group_key")
KEYS += ("measure", "days", "in_time")
ONE = (1,) + (0,) * (len(VALUES) - 1)
BATCH = 20_000  # summary rows read at once by the rebuild


def label(value) -> str:
    """The report's group key for a stored value (funnel_summary labels the same way)."""
    return UNKNOWN if value is None else str(value)


def _month(sent_at, zone: str) -> date:
    return as_utc(sent_at).astimezone(ZoneInfo(zone)).date().replace(day=1)


def cells(row) -> Iterable[tuple[tuple, tuple]]:
    """(rollup key, counts) for each cell one summary row (dict or Row) counts in."""
    row = row if isinstance(row, dict) else row._mapping
    zone = row["zone"]
    month = _month(row["sent_at"], zone)
    plans = ((False, row["plan_id"] or "", bool(row["plan_member"])), (True, "", False))
    reached = (
        1,
        *(int(bool(row[flag])) for flag in STAGE_FLAGS),
        int(row["positive_screen_on"] is not None),
        *(int(bool(row[flag])) for flag in FOLLOW_UPS),
    )
    timed = [
        (measure, row[days], bool(row[ok]))
        for measure, (days, ok) in HISTOGRAMS.items()
        if row[days] is not None
    ]
    for (dimension, column), plan in product(DIMENSIONS.items(), plans):
        key = (zone, dimension, month, *plan, label(row[column]))
        yield (*key, "stages", 0, False), reached
        for measure, days, ok in timed:
            yield (*key, measure, days, ok), ONE


def tally(rows: Iterable, sign: int = 1, into: dict | None = None) -> dict[tuple, list[int]]:
    """Rollup key -> counts of `rows` (times `sign`), added to `into` if given."""
    into = defaultdict(lambda: [0] * len(VALUES)) if into is None else into
    for row in rows:
        for key, counts in cells(row):
            total = into[key]
            for i, n in enumerate(counts):
                total[i] += sign * n
    return into


def records(counted: dict[tuple, list[int]]) -> list[dict]:
    """Rollup rows (column -> value) of the cells with any count that is not zero."""
    return [
        dict(zip(KEYS, key, strict=True)) | dict(zip(VALUES, counts, strict=True))
        for key, counts in counted.items()
        if any(counts)
    ]


def add(connection: Connection, deltas: dict[tuple, list[int]]) -> None:
    """Add `deltas` into the rollup: a new cell is inserted, an existing one added to."""
    # In key order, so two transactions adding to the same cells lock them in the same order.
    rows = records(dict(sorted(deltas.items())))
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ReferralRollup)
    added = {name: getattr(ReferralRollup, name) + statement.excluded[name] for name in VALUES}
    # A cell counted down to zero is kept: readers skip n = 0, and a rebuild drops it.
    connection.execute(statement.on_conflict_do_update(index_elements=KEYS, set_=added), rows)


def rebuild_rollup(connection: Connection) -> int:
    """Count the whole summary table into an emptied rollup (idempotent); cells written."""
    connection.execute(delete(ReferralRollup))
    totals: dict = defaultdict(lambda: [0] * len(VALUES))
    after = 0
    while True:
        batch = connection.execute(
            select(ReferralSummary)
            .where(ReferralSummary.referral_id > after)
            .order_by(ReferralSummary.referral_id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        tally(batch, into=totals)
        after = batch[-1].referral_id
    rows = records(totals)
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(ReferralRollup), rows[start : start + BATCH])
    return len(rows)
