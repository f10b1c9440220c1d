"""Referral signals per clinician from the referral table: matching's SignalsProvider.

Open load (referrals awaiting an appointment) and how quickly past referrals were acknowledged,
summarized into matching.signals.ReferralSignals; the app factory plugs ReferralSignalSource
into the Matcher, so matching never imports referrals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import DateTime, inspect, or_, select
from sqlalchemy.orm import Session

from directory.business_days import add_business_days
from directory.models.verification import as_utc
from matching import weights
from matching.signals import ReferralSignals
from referrals.followup import AWAITING_APPOINTMENT
from referrals.models import Referral

# Referrals that occupy the clinician's capacity: sent, not yet scheduled or closed.
LOAD_STATUSES = AWAITING_APPOINTMENT
_CHUNK = 900  # under SQLite's old bound-parameter limit


def ack_deadline(sent_at: datetime) -> datetime:
    """ACK_BUSINESS_DAYS business days after `sent_at` (weekends and federal holidays skipped)."""
    return add_business_days(sent_at, weights.ACK_BUSINESS_DAYS)


def summarize(rows: Iterable[tuple], now: datetime) -> dict[int, ReferralSignals]:
    """Signals from (clinician_id, status, sent_at, acknowledged_at) rows."""
    tally: dict[int, list[int]] = {}
    since = now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    for clinician_id, status, sent_at, acknowledged_at in rows:
        counts = tally.setdefault(clinician_id, [0, 0, 0])
        counts[0] += status in LOAD_STATUSES
        sent_at, acknowledged_at = as_utc(sent_at), as_utc(acknowledged_at)
        if sent_at is None or sent_at < since:
            continue
        deadline = ack_deadline(sent_at)
        on_time = acknowledged_at is not None and acknowledged_at <= deadline
        counts[1] += on_time
        counts[2] += on_time or deadline <= now
    return {cid: ReferralSignals(*counts) for cid, counts in tally.items()}


# Program referrals have no clinician: their NULL ids would break the ranker's id array.
_REFERRED = (
    "SELECT DISTINCT clinician_id FROM referral WHERE clinician_id IS NOT NULL AND (status IN ("
    + ", ".join(f"'{s}'" for s in LOAD_STATUSES)
    + ") OR sent_at >= {since})"
)
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":1", "named": ":since"}


def _referred(connection, now: datetime) -> set[int]:
    """Ids with counted referrals, by a driver-level query (asked on every search)."""
    return ids_since(
        connection, _REFERRED, now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    )


def ids_since(connection, sql: str, since: datetime) -> set[int]:
    """The first column of `sql` (its `{since}` bound to `since`), run at the driver level."""
    # SQLAlchemy's statement machinery costs more than the query on an idle table.
    dialect = connection.dialect
    convert = DateTime(timezone=True).bind_processor(dialect)
    value = convert(since) if convert else since
    query = sql.format(since=_PLACEHOLDERS[dialect.paramstyle])
    params = {"since": value} if dialect.paramstyle == "named" else (value,)
    return {row[0] for row in connection.exec_driver_sql(query, params)}


def _counted(table, now: datetime):
    """Referrals summarize() counts: open ones, and any sent within the window."""
    since = now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    return or_(table.c.status.in_(LOAD_STATUSES), table.c.sent_at >= since)


class ReferralSignalSource:
    """Reads signals from the referral table of the system-of-record database."""

    _known_tables: set[str] = set()

    def __init__(self, session: Session):
        self.session = session

    def _table(self):
        table = Referral.__table__
        url = str(self.session.get_bind().url)
        if url not in self._known_tables:
            # Checked until found: a migration may add the table while the app runs.
            if not inspect(self.session.get_bind()).has_table(table.name):
                return None
            self._known_tables.add(url)
        return table

    def referred(self, now: datetime) -> set[int]:
        """Clinicians with any referral that counts towards signals at `now` (others: none)."""
        table = self._table()
        if table is None:
            return set()
        return _referred(self.session.connection(), now)

    def __call__(self, clinician_ids: Sequence[int], now: datetime) -> dict[int, ReferralSignals]:
        """Signals for `clinician_ids`; clinicians without referrals are left out."""
        table = self._table()
        if table is None or not clinician_ids:
            return {}
        ids = sorted(set(clinician_ids))
        rows: list[tuple] = []
        for start in range(0, len(ids), _CHUNK):
            query = select(
                table.c.clinician_id, table.c.status, table.c.sent_at, table.c.acknowledged_at
            ).where(table.c.clinician_id.in_(ids[start : start + _CHUNK]), _counted(table, now))
            rows.extend(tuple(row) for row in self.session.execute(query))
        return summarize(rows, now)
