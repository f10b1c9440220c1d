"""Referrals received and acknowledged in time per clinician and local month of first send.

Kept beside `referral_summary` by `referrals.summary.rewrite` (the flush hook; a rebuild recounts
with `rebuild_months`): the old rows' counts are taken off and the new rows' added, so the
directory report's responsiveness over whole months sums a few thousand rows, not a million.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Date, Integer, String, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import as_utc
from referrals.summary_models import ReferralSummary as S

UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
COLUMNS = (S.clinician_id, S.zone, S.sent_at, S.acknowledged_in_time, S.declined_at)
COLUMNS += (S.decline_reason,)
STREAM = 20_000  # summary rows per fetch while the table is rebuilt


class ClinicianMonth(db.Model):
    """Summary rows of one clinician first sent in one local month (in the rows' zone)."""

    __tablename__ = "referral_clinician_month"

    clinician_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    received: Mapped[int] = mapped_column(Integer)
    in_time: Mapped[int] = mapped_column(Integer)  # acknowledged within 2 business days


class DeclineMonth(db.Model):
    """Summary rows of one clinician declined for one reason in one local month (rows' zone)."""

    __tablename__ = "referral_decline_month"

    clinician_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    reason: Mapped[str] = mapped_column(String(40), primary_key=True)  # "" when none was given
    declined: Mapped[int] = mapped_column(Integer)


def month_of(sent_at: datetime, zone: str) -> date:
    """The first day of the local month `sent_at` falls in."""
    return as_utc(sent_at).astimezone(ZoneInfo(zone)).date().replace(day=1)


def _counts() -> dict:
    """Empty tallies: [received, in time] per clinician month, [declined] per decline month."""
    return {ClinicianMonth: defaultdict(lambda: [0, 0]), DeclineMonth: defaultdict(lambda: [0])}


def tally(rows: Iterable, sign: int = 1, into: dict | None = None) -> dict:
    """Both tables' counts of summary rows, times `sign`, added to `into` if given."""
    counts = into if into is not None else _counts()
    for row in rows:
        clinician_id, zone = row["clinician_id"], row["zone"]
        if clinician_id is None:
            continue  # no listing to count it for
        cell = counts[ClinicianMonth][(clinician_id, zone, month_of(row["sent_at"], zone))]
        cell[0] += sign
        cell[1] += sign * bool(row["acknowledged_in_time"])
        if row["declined_at"] is not None:
            month = month_of(row["declined_at"], zone)
            counts[DeclineMonth][(clinician_id, zone, month, row["decline_reason"] or "")][0] += (
                sign
            )
    return counts


def _rows(model, counts: dict, changed_only: bool) -> list[dict]:
    """Table rows of one model's counts, keys in order (so concurrent upserts never deadlock)."""
    names = [c.key for c in model.__table__.columns]
    return [
        dict(zip(names, (*key, *values), strict=True))
        for key, values in sorted(counts.items())
        if any(values) or not changed_only
    ]


def shift(connection: Connection, counts: dict, rows: list[dict]) -> None:
    """Add the new summary `rows` to `counts` and apply the net change to both tables."""
    for model, cells in tally(rows, 1, counts).items():
        changes = _rows(model, cells, changed_only=True)
        if not changes:
            continue
        table = model.__table__
        upsert = UPSERTS[connection.dialect.name](table)
        # Increments under the row lock, so concurrent flushes on one month both count.
        added = {c.key: c + upsert.excluded[c.key] for c in table.columns if not c.primary_key}
        keys = [c.key for c in table.primary_key.columns]
        connection.execute(upsert.on_conflict_do_update(index_elements=keys, set_=added), changes)


def rebuild_months(connection: Connection) -> int:
    """Recount both tables from `referral_summary`; the number of rows written."""
    # Streamed on the statement: the connection's own options would carry to the insert.
    result = connection.execute(select(*COLUMNS).execution_options(yield_per=STREAM))
    counts = _counts()
    for part in result.mappings().partitions():
        tally(part, 1, counts)
    written = 0
    for model, cells in counts.items():
        connection.execute(delete(model))
        rows = _rows(model, cells, changed_only=False)
        if rows:
            connection.execute(insert(model), rows)
        written += len(rows)
    return written


def month_end(first: date) -> date:
    """The last day of the month starting on `first`."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """First days of the first and the last whole month in start..end, or None if none."""
    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = end.replace(day=1)
    if month_end(last) != end:
        last = (last - timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def received_by_month(listings, first: date, last: date, zone: str) -> tuple[dict, bool]:
    """Per listing, [received, in time] in months first..last kept in `zone`; any other zone?"""
    M = ClinicianMonth
    rows = db.session.execute(
        select(M.zone, M.clinician_id, func.sum(M.received), func.sum(M.in_time))
        .where(M.month >= first, M.month <= last, M.received > 0)
        .where(M.clinician_id.in_(listings))
        .group_by(M.zone, M.clinician_id)
    ).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for kept_in, clinician_id, received, in_time in rows:
        if kept_in == zone:
            counts[clinician_id] = [int(received), int(in_time)]
    return counts, any(kept_in != zone for kept_in, *_ in rows)


def declined_by_month(listings, first: date, last: date, zone: str) -> tuple[dict, bool]:
    """Declines of `listings` per reason in months first..last kept in `zone`; any other zone?"""
    D = DeclineMonth
    rows = db.session.execute(
        select(D.zone, D.reason, func.sum(D.declined))
        .where(D.month >= first, D.month <= last, D.declined > 0)
        .where(D.clinician_id.in_(listings))
        .group_by(D.zone, D.reason)
    ).all()
    found = {reason or None: int(n) for kept_in, reason, n in rows if kept_in == zone}
    return found, any(kept_in != zone for kept_in, *_ in rows)
