"""Record observations of listing facts and read what we currently believe, with why.

Writers call `observe` (one fact, in the caller's transaction) or `record` (a loader's batch,
one INSERT per chunk). Readers call `current` / `current_many`. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, select

from directory.extensions import db
from directory.fact_resolution import Finding, resolve
from directory.fact_rules import KIND_BY_CODE, METHODS, SOURCE_BY_CODE
from directory.models.facts import FactObservation
from directory.models.verification import utcnow

_CHUNK = 500  # rows per INSERT, well under SQLite's bound-parameter limit


class Subject(NamedTuple):
    """What a fact is about: ("clinician", 12) today, ("program", 3) later."""

    kind: str
    id: int


def clinician(clinician_id: int) -> Subject:
    """The subject for a clinician's facts."""
    return Subject("clinician", clinician_id)


class UnknownFact(ValueError):
    """A kind, source or verification method the fact tables do not know."""


@dataclass(frozen=True)
class Observation:
    """One source's word on one fact, before it is stored."""

    subject: Subject
    kind: str
    value: Any
    source: str
    observed_at: datetime = field(default_factory=utcnow)
    location_id: int | None = None
    network_id: str | None = None
    method: str | None = None
    evidence: str | None = None
    source_ref: str | None = None
    actor_id: int | None = None

    def row(self) -> dict[str, Any]:
        """The fact_observation columns, after checking the codes."""
        _check(self.kind, self.source, self.method)
        return {
            "subject_kind": self.subject.kind,
            "subject_id": self.subject.id,
            "kind": self.kind,
            "value": self.value,
            "source": self.source,
            "observed_at": self.observed_at,
            "location_id": self.location_id,
            "network_id": self.network_id,
            "method": self.method,
            "evidence": self.evidence,
            "source_ref": self.source_ref,
            "actor_id": self.actor_id,
        }


def _check(kind: str, source: str, method: str | None) -> None:
    if kind not in KIND_BY_CODE:
        raise UnknownFact(f"unknown fact kind {kind!r}")
    if source not in SOURCE_BY_CODE:
        raise UnknownFact(f"unknown fact source {source!r}")
    if source == "staff_verification" and method not in METHODS:
        raise UnknownFact(f"a staff verification needs a method, one of {sorted(METHODS)}")
    if method is not None and method not in METHODS:
        raise UnknownFact(f"unknown verification method {method!r}")


def observe(
    subject: Subject,
    kind: str,
    value: Any,
    source: str,
    *,
    observed_at: datetime | None = None,
    location_id: int | None = None,
    network_id: str | None = None,
    method: str | None = None,
    evidence: str | None = None,
    source_ref: str | None = None,
    actor_id: int | None = None,
) -> FactObservation:
    """Add one observation to the session (the caller's use case commits it)."""
    observation = Observation(
        subject,
        kind,
        value,
        source,
        observed_at or utcnow(),
        location_id,
        network_id,
        method,
        evidence,
        source_ref,
        actor_id,
    )
    row = FactObservation(**observation.row())
    db.session.add(row)
    return row


def record(observations: Iterable[Observation], connection=None) -> int:
    """Insert a loader's observations in chunks; return how many."""
    target = connection if connection is not None else db.session
    now = utcnow()
    batch: list[dict[str, Any]] = []
    count = 0
    for observation in observations:
        batch.append({**observation.row(), "recorded_at": now})
        if len(batch) >= _CHUNK:
            target.execute(insert(FactObservation.__table__), batch)
            count += len(batch)
            batch = []
    if batch:
        target.execute(insert(FactObservation.__table__), batch)
        count += len(batch)
    return count


def history(subject: Subject) -> list[FactObservation]:
    """Every observation of a subject's facts, newest first."""
    query = (
        select(FactObservation)
        .where(FactObservation.subject_kind == subject.kind)
        .where(FactObservation.subject_id == subject.id)
        .order_by(FactObservation.observed_at.desc(), FactObservation.id.desc())
    )
    return list(db.session.scalars(query))


def current(subject: Subject, now: datetime | None = None) -> list[Finding]:
    """What we believe about each of a subject's facts, the winner and the overruled."""
    return resolve(history(subject), now or utcnow())


def current_many(
    subject_kind: str,
    ids: Sequence[int],
    now: datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> dict[int, list[Finding]]:
    """`current` for many subjects in one query per chunk (list pages, API lists); `kinds`
    narrows to those facts (a match page reads only cost)."""
    found: dict[int, list[FactObservation]] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(FactObservation)
            .where(FactObservation.subject_kind == subject_kind)
            .where(FactObservation.subject_id.in_(wanted[start : start + _CHUNK]))
        )
        if kinds is not None:
            query = query.where(FactObservation.kind.in_(sorted(kinds)))
        for row in db.session.scalars(query):
            found.setdefault(row.subject_id, []).append(row)
    moment = now or utcnow()
    return {subject_id: resolve(found.get(subject_id, []), moment) for subject_id in ids}
