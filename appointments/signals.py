"""Responsiveness from call-back requests, combined with the referrals' acknowledgement signal.

One measure for both: an item counts once its answer window (ACK_BUSINESS_DAYS business days)
has closed or it was answered, and it counts as on time when the first answer came within the
window. A referral's answer is its acknowledgement; a request's is the office's first move out
of "new". The two counts are added, so a clinician who answers call-backs promptly but gets few
referrals still earns the ranking's responsiveness points. Open requests do not count as load:
load is capacity taken by referred patients.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from appointments.models import AppointmentRequest
from appointments.response_time import on_time, response_deadline
from directory.models.verification import as_utc
from matching import weights
from matching.signals import ReferralSignals
from referrals.signals import ReferralSignalSource, ids_since

_CHUNK = 900  # under SQLite's old bound-parameter limit
_REQUESTED = "SELECT DISTINCT clinician_id FROM appointment_request WHERE created_at >= {since}"


def _requested(connection, now: datetime) -> set[int]:
    """Ids with requests in the window, by a driver-level query (asked on every search)."""
    return ids_since(
        connection, _REQUESTED, now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    )


def tally(rows: Iterable[tuple], now: datetime) -> dict[int, tuple[int, int]]:
    """(on time, answered) per clinician from (clinician_id, created_at, first_response_at)."""
    found: dict[int, tuple[int, int]] = {}
    since = now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    for clinician_id, created_at, first_response_at in rows:
        created_at = as_utc(created_at)
        if created_at < since:
            continue
        prompt = on_time(created_at, first_response_at)
        counted = prompt or response_deadline(created_at) <= now
        kept, answered = found.get(clinician_id, (0, 0))
        found[clinician_id] = (kept + prompt, answered + counted)
    return found


def combine(
    referrals: dict[int, ReferralSignals], requests: dict[int, tuple[int, int]]
) -> dict[int, ReferralSignals]:
    """The referral signals with each clinician's request counts added to on_time and answered."""
    merged = dict(referrals)
    for clinician_id, (kept, answered) in requests.items():
        if not answered:
            continue
        base = merged.get(clinician_id, ReferralSignals())
        merged[clinician_id] = replace(
            base, on_time=base.on_time + kept, answered=base.answered + answered
        )
    return merged


class ResponsivenessSource:
    """matching's SignalsProvider: referral signals plus call-back request responsiveness."""

    _known_tables: set[str] = set()

    def __init__(self, session: Session):
        self.session = session
        self.referrals = ReferralSignalSource(session)

    def _has_table(self) -> bool:
        url = str(self.session.get_bind().url)
        if url not in self._known_tables:
            # Checked until found: a migration may add the table while the app runs.
            if not inspect(self.session.get_bind()).has_table(AppointmentRequest.__tablename__):
                return False
            self._known_tables.add(url)
        return True

    def referred(self, now: datetime) -> set[int]:
        """Clinicians with referrals or requests that count towards signals at `now`."""
        found = self.referrals.referred(now)
        if self._has_table():
            found |= _requested(self.session.connection(), now)
        return found

    def __call__(self, clinician_ids: Sequence[int], now: datetime) -> dict[int, ReferralSignals]:
        """Signals for `clinician_ids`; clinicians with neither referrals nor requests left out."""
        referrals = self.referrals(clinician_ids, now)
        if not clinician_ids or not self._has_table():
            return referrals
        ids = sorted(set(clinician_ids))
        rows: list[tuple] = []
        c = AppointmentRequest.__table__.c
        since = now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(c.clinician_id, c.created_at, c.first_response_at).where(
                c.clinician_id.in_(chunk), c.created_at >= since
            )
            rows.extend(tuple(row) for row in self.session.execute(query))
        return combine(referrals, tally(rows, now))
