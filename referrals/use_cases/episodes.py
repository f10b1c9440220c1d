"""Reading an episode of care: its referrals and screenings as the reader may see them; audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from episodes.models import Episode
from referrals.access import episode_relations
from referrals.errors import NotFound
from referrals.models import Referral
from referrals.use_cases.reads import MAX_REFERRAL_ID, Shown, disclose
from screening.models import ScreeningResult
from screening.results import scored_rows
from screening.scorer import Scored


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode as a reader may see it: how they stand to it, its referrals and screenings."""

    episode: Episode
    relations: frozenset[str]
    referrals: list[Shown]
    screenings: list[tuple[ScreeningResult, Scored]]


def load_episode(actor, episode_id: int, action: str) -> tuple[Episode, frozenset[str]]:
    """The episode and how the actor stands to it; NotFound (audited as denied) otherwise."""
    episode = db.session.get(Episode, episode_id) if 0 < episode_id <= MAX_REFERRAL_ID else None
    found = episode_relations(actor, episode) if episode is not None else frozenset()
    if not found:
        # Not found rather than denied: ids of other organizations' episodes reveal nothing.
        db.session.rollback()
        record(actor, action, "episode", episode_id, outcome="denied")
        db.session.commit()
        raise NotFound("episode not found", code="not_yours")
    return episode, found


def _screenings(actor, found, episode_id: int, shown: list[Shown]):
    """The episode's screenings on referrals fully disclosed to the reader, each audited."""
    # Screenings are clinical content: they go only where nothing of their referral is withheld.
    open_ids = {s.referral.id for s in shown if s.disclosure.allowed and not s.disclosure.withheld}
    rows = db.session.scalars(
        select(ScreeningResult)
        .where(ScreeningResult.episode_id == episode_id)
        .order_by(ScreeningResult.created_at, ScreeningResult.id)
    ).all()
    scored = scored_rows([row for row in rows if row.referral_id in open_ids])
    action = "read" if {"referrer", "admin"} & found else "disclose"
    for result, _meaning in scored:
        record(actor, action, "screening", result.id)
    return scored


def read_episode(actor, episode_id: int) -> EpisodeRecord:
    """The episode with its referrals (each disclosed) and screenings, oldest first; commits."""
    episode, found = load_episode(actor, episode_id, "read")
    referrals = db.session.scalars(
        select(Referral).where(Referral.episode_id == episode.id).order_by(Referral.id)
    ).all()
    shown = [disclose(actor, referral) for referral in referrals]
    screenings = _screenings(actor, found, episode.id, shown)
    record(actor, "read", "episode", episode.id)
    db.session.commit()
    return EpisodeRecord(episode, found, shown, screenings)
