"""Reading an episode of care: its referrals and screenings as the reader may see them; audited."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from episodes.models import Episode
from referrals.access import episode_relations, relations
from referrals.care_team import CarePlanGate, active_members, care_plan_gate, members_acting_as
from referrals.clock import local_today
from referrals.errors import NotFound, ReferralError
from referrals.models import Referral
from referrals.use_cases.reads import MAX_REFERRAL_ID, Shown, disclose
from screening.models import ScreeningResult
from screening.results import scored_rows
from screening.scorer import Scored


@dataclass(frozen=True)
class Standing:
    """How one reader stands to an episode: relations, the members they act as, what they see."""

    episode: Episode
    relations: frozenset[str]
    acting_as: list
    referrals: list[Referral]
    gate: CarePlanGate


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode as a reader may see it: how they stand to it, its referrals and screenings."""

    episode: Episode
    relations: frozenset[str]
    gate: CarePlanGate
    referrals: list[Shown]
    screenings: list[tuple[ScreeningResult, Scored]]


def refuse(actor, action: str, object_type: str, object_id, outcome: str) -> None:
    """Undo the request's changes and record the refusal in a transaction of its own."""
    db.session.rollback()
    record(actor, action, object_type, object_id, outcome=outcome)
    db.session.commit()


@contextmanager
def episode_refusals(actor, action: str, object_type: str, object_id=None):
    """Any refusal raised inside is rolled back, audited as `action` on `object_type`, raised on."""
    try:
        yield
    except ReferralError as err:
        refuse(actor, action, object_type, object_id, err.outcome)
        raise


def _episode_referrals(episode_id: int) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral).where(Referral.episode_id == episode_id).order_by(Referral.id)
        )
    )


def load_episode(actor, episode_id: int, action: str, object_type: str = "episode") -> Standing:
    """How the actor stands to the episode; NotFound (audited as denied) for anyone outside it."""
    episode = db.session.get(Episode, episode_id) if 0 < episode_id <= MAX_REFERRAL_ID else None
    found, acting_as = frozenset(), []
    if episode is not None:
        acting_as = members_acting_as(actor, active_members(episode.id))
        found = episode_relations(actor, episode) | ({"member"} if acting_as else set())
    if not found:
        # Not found rather than denied: ids of other organizations' episodes reveal nothing.
        refuse(actor, action, object_type, episode_id, "denied")
        raise NotFound("episode not found", code="not_yours")
    referrals = _episode_referrals(episode.id)
    gate = care_plan_gate(found, acting_as, referrals, local_today())
    return Standing(episode, found, acting_as, referrals, gate)


def reading(found: frozenset[str]) -> str:
    """A read by the referring side, a disclosure to anyone else."""
    return "read" if {"referrer", "admin"} & found else "disclose"


def disclosed_screenings(actor, found, episode_id: int, shown: list[Shown]):
    """The episode's screenings on referrals fully disclosed to the reader, each audited."""
    # Screenings are clinical content: they go only where nothing of their referral is withheld.
    open_ids = {s.referral.id for s in shown if s.disclosure.allowed and not s.disclosure.withheld}
    rows = db.session.scalars(
        select(ScreeningResult)
        .where(ScreeningResult.episode_id == episode_id)
        .order_by(ScreeningResult.created_at, ScreeningResult.id)
    ).all()
    scored = scored_rows([row for row in rows if row.referral_id in open_ids])
    for result, _meaning in scored:
        record(actor, reading(found), "screening", result.id)
    return scored


def read_episode(actor, episode_id: int) -> EpisodeRecord:
    """The episode, the referrals the reader may see (each disclosed), its screenings; commits."""
    standing = load_episode(actor, episode_id, "read")
    found = standing.relations
    # A team member from elsewhere sees only the referrals they stand to (sent to them, ...).
    shown = [disclose(actor, r) for r in standing.referrals if relations(actor, r)]
    screenings = disclosed_screenings(actor, found, episode_id, shown)
    outcome = "ok" if standing.gate.content else "blocked"
    record(actor, reading(found), "episode", episode_id, outcome=outcome)
    db.session.commit()
    return EpisodeRecord(standing.episode, found, standing.gate, shown, screenings)
