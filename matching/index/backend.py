"""IndexedBackend: matching over the in-memory index, with the SQL backend behind it.

The index answers when its snapshot is current for the request (keeper.current); otherwise
(first build of a big directory, a large batch of changes, or listing writes in the
request's own open transaction) the EmbeddedBackend answers from SQL, with the same results.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property

import numpy as np
from sqlalchemy.orm import Session

from matching import weights
from matching.backend import Candidate
from matching.embedded import EmbeddedBackend
from matching.index.candidates import Materializer
from matching.index.keeper import IndexKeeper, Snapshot
from matching.index.masks import NeedMasks
from matching.index.page import Part, ranked_page, referred_ids
from matching.index.query import admitted
from matching.index.refine import Bounds, page_scores
from matching.needs import Needs
from matching.ranking import Match, rank_retrieved


class IndexedBackend:
    """MatchBackend (retrieve, count) plus page(): the ranked page without every candidate."""

    def __init__(self, keeper: IndexKeeper, session: Session, now: datetime | None = None):
        self.keeper, self.session = keeper, session
        self.now = now or datetime.now(UTC)
        self.today = self.now.date()
        self.sql = EmbeddedBackend(session, self.now)

    @cached_property
    def snapshot(self) -> Snapshot | None:
        """The index for this request (looked up once), or None to use SQL."""
        return self.keeper.current(self.session.connection())

    @property
    def answered_by(self) -> str:
        """'index' or 'sql': which path this request took."""
        return "sql" if self.snapshot is None else "index"

    def _materializer(self, segment, needs: Needs) -> Materializer:
        return Materializer(self.session.connection(), segment, needs, self.today)

    def retrieve(self, needs: Needs) -> list[Candidate]:
        """Every candidate that meets the required needs (as EmbeddedBackend.retrieve)."""
        if self.snapshot is None:
            return self.sql.retrieve(needs)
        found: list[Candidate] = []
        for segment, alive in self.snapshot.parts():
            rows = admitted(segment, needs, self.today, alive)
            picked = np.arange(len(rows))
            found += self._materializer(segment, needs).candidates(rows, picked)
        return found

    def count(self, needs: Needs) -> int:
        """Distinct clinicians that meet every required need."""
        if self.snapshot is None:
            return self.sql.count(needs)
        ids = [
            segment.clinicians.ids[admitted(segment, needs, self.today, alive).clinician]
            for segment, alive in self.snapshot.parts()
        ]
        return len(np.unique(np.concatenate(ids))) if ids else 0

    def page(
        self,
        needs: Needs,
        signals,
        now: datetime,
        stale_after_days: int = weights.STALE_AFTER_DAYS,
    ) -> tuple[list[Match], int]:
        """(the requested page of ranked matches, how many clinicians matched in all)."""
        if self.snapshot is None:
            return rank_retrieved(needs, self.sql, signals, now, stale_after_days)
        parts, segments = [], []
        # Signals' reach, once: refine.py and page.py bound the same clinicians by it.
        known = referred_ids(signals, now)
        signals = _Known(signals, known)
        bounds = Bounds(needs.offset + needs.limit, known)
        for segment, alive in self.snapshot.parts():
            masks = NeedMasks(segment, needs)
            rows = admitted(segment, needs, self.today, alive, masks)
            found = page_scores(segment, masks, rows, now, stale_after_days, bounds)
            parts.append(Part(segment, rows, found))
            segments.append(segment)
        return ranked_page(
            parts,
            needs,
            lambda i: self._materializer(segments[i], needs),
            signals,
            now,
            stale_after_days,
        )


class _Known:
    """A signals provider whose `referred` answers from one earlier call."""

    def __init__(self, signals, referred: set[int] | None):
        self.signals = signals
        if referred is not None:
            self.referred = lambda _now: referred

    def __call__(self, clinician_ids, now):
        return self.signals(clinician_ids, now)
