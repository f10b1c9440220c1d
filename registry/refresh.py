"""Keeping the registry rows in step with the screenings and visits they summarize."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from directory.models.verification import as_utc
from episodes.models import Episode
from referrals.clock import zone
from referrals.models import Referral, ReferralEvent
from registry.measures import INSTRUMENTS, Score, summarize
from registry.models import RegistryEntry
from screening.models import ScreeningResult

TOUCHED = "registry_touched"


def _local(moment: datetime) -> date:
    return as_utc(moment).astimezone(zone()).date()


def _scores(session: Session, ids: list[int]) -> dict[tuple[int, str], list]:
    """Each episode's registry screenings by instrument, oldest first, with their referral ids."""
    rows = session.execute(
        select(ScreeningResult)
        .where(ScreeningResult.episode_id.in_(ids), ScreeningResult.instrument.in_(INSTRUMENTS))
        .order_by(ScreeningResult.created_at, ScreeningResult.id)
    ).scalars()
    found: dict[tuple[int, str], list] = defaultdict(list)
    for row in rows:
        found[(row.episode_id, row.instrument)].append(row)
    return found


def _visits(session: Session, ids: list[int]) -> dict[int, list[date]]:
    """The BH visits of each episode: referrals marked attended, on the appointment's date."""
    rows = session.execute(
        select(Referral.episode_id, Referral.appointment_at, ReferralEvent.at)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(Referral.episode_id.in_(ids), ReferralEvent.type == "attend")
    )
    found: dict[int, list[date]] = defaultdict(list)
    for episode_id, appointment_at, marked_at in rows:
        found[episode_id].append(_local(appointment_at or marked_at))
    return found


def _part2_referrals(session: Session, ids: list[int]) -> set[int]:
    return set(
        session.scalars(select(Referral.id).where(Referral.episode_id.in_(ids), Referral.part2))
    )


def _entry(episode: Episode, instrument: str, rows: list, visits: list[date], part2: set[int]):
    scores = [Score(_local(r.created_at), r.score, bool(r.positive), r.severity) for r in rows]
    summary = summarize(instrument, scores, visits)
    return RegistryEntry(
        episode_id=episode.id,
        instrument=instrument,
        organization_id=episode.organization_id,
        plan_id=episode.plan_id,
        plan_member=bool((episode.patient_member_id or "").strip()),
        part2=any(r.referral_id in part2 for r in rows),
        **vars(summary),
    )


def refresh(session: Session, episode_ids: Iterable[int]) -> int:
    """Rebuild the registry rows of these episodes from their sources; returns rows written."""
    ids = sorted(set(episode_ids))
    if not ids:
        return 0
    # Locking the episodes first: two commits refreshing one episode take turns (PostgreSQL).
    episodes = session.scalars(
        select(Episode).where(Episode.id.in_(ids)).order_by(Episode.id).with_for_update()
    ).all()
    session.execute(delete(RegistryEntry).where(RegistryEntry.episode_id.in_(ids)))
    scores, visits = _scores(session, ids), _visits(session, ids)
    part2 = _part2_referrals(session, ids)
    entries = [
        _entry(episode, instrument, scores[(episode.id, instrument)], visits[episode.id], part2)
        for episode in episodes
        for instrument in INSTRUMENTS
        if scores[(episode.id, instrument)]
    ]
    session.add_all(entries)
    session.flush()
    return len(entries)


def _note_touched(session: Session, _context) -> None:
    """Remember which episodes a flush changed (screenings, referrals, their events)."""
    touched = session.info.setdefault(TOUCHED, {"episodes": set(), "referrals": set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ScreeningResult | Referral | Episode):
            episode_id = obj.id if isinstance(obj, Episode) else obj.episode_id
            if episode_id is not None:
                touched["episodes"].add(episode_id)
        elif isinstance(obj, ReferralEvent):
            touched["referrals"].add(obj.referral_id)


def _refresh_touched(session: Session) -> None:
    """Before the commit, bring the touched episodes' rows up to date in the same transaction."""
    # The commit's own flush comes after this hook: flush first so every change is noted.
    session.flush()
    touched = session.info.pop(TOUCHED, None)
    if not touched or not (touched["episodes"] or touched["referrals"]):
        return
    ids = set(touched["episodes"])
    if touched["referrals"]:
        ids |= set(
            session.scalars(
                select(Referral.episode_id).where(
                    Referral.id.in_(touched["referrals"]), Referral.episode_id.is_not(None)
                )
            )
        )
    refresh(session, ids)
    session.info.pop(TOUCHED, None)


def _forget(session: Session, *_args) -> None:
    session.info.pop(TOUCHED, None)


def watch() -> None:
    """Refresh registry rows on every commit that changed what they summarize (idempotent)."""
    for name, listener in (
        ("after_flush", _note_touched),
        ("before_commit", _refresh_touched),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
