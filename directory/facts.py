"""Record observations of listing facts and read what we currently believe, with why.

Writers call `observe` (one fact, in the caller's transaction) or `record` (a loader's batch,
one INSERT per chunk). Readers call `current` / `current_many`. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select

from directory.extensions import db
from directory.fact_resolution import FactKey, Finding, Observed, resolve, winners
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


# Every list page and match page reads facts this way: built once, and rows of what resolution
# and the pages read (fact_resolution.Observed), not FactObservation objects (half the CPU);
# of the table's columns, not the mapped class's, so the ORM's compile and row steps are skipped.
_FACTS = FactObservation.__table__.c
_MANY = select(
    _FACTS.subject_id,
    _FACTS.id,
    _FACTS.kind,
    _FACTS.value,
    _FACTS.source,
    _FACTS.method,
    _FACTS.location_id,
    _FACTS.network_id,
    _FACTS.observed_at,
).where(
    _FACTS.subject_kind == bindparam("subject_kind"),
    _FACTS.subject_id.in_(bindparam("ids", expanding=True)),
)
_MANY_OF_KINDS = _MANY.where(_FACTS.kind.in_(bindparam("kinds", expanding=True)))


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


def _observations(subject_kind: str, ids: Sequence[int], kinds) -> dict[int, list[Observed]]:
    """Per subject, its words (of `kinds` when given): one query per chunk of ids."""
    found: dict[int, list[Observed]] = {}
    wanted = sorted(set(ids))
    statement = _MANY if kinds is None else _MANY_OF_KINDS
    params: dict[str, Any] = {"subject_kind": subject_kind}
    if kinds is not None:
        params["kinds"] = sorted(kinds)
    for start in range(0, len(wanted), _CHUNK):
        params["ids"] = wanted[start : start + _CHUNK]
        for row in db.session.execute(statement, params):
            found.setdefault(row.subject_id, []).append(row)
    return found


def current_many(
    subject_kind: str,
    ids: Sequence[int],
    now: datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> dict[int, list[Finding]]:
    """`current` for many subjects in one query per chunk (list pages, API lists); `kinds`
    narrows to those facts (a match page reads only cost). Words are read-only rows."""
    found = _observations(subject_kind, ids, kinds)
    moment = now or utcnow()
    return {subject_id: resolve(found.get(subject_id, []), moment) for subject_id in ids}


def winners_many(
    subject_kind: str,
    ids: Sequence[int],
    now: datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> dict[int, list[tuple[FactKey, Any]]]:
    """current_many's winning word per fact, in the same order, without confidence or
    overruled words (a results page shows only whose word each value is)."""
    found = _observations(subject_kind, ids, kinds)
    moment = now or utcnow()
    return {subject_id: winners(found.get(subject_id, []), moment) for subject_id in ids}
