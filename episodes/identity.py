"""Which episode a referral's patient belongs to: same organization, and the same person."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from directory.extensions import db
from episodes.models import Episode

_NOT_A_LETTER = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """The name folded for matching: no accents, no case, no punctuation, words in order."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    # "Doe, Jane" and "Jane Doe" are one patient once the birth date agrees as well.
    words = sorted(w for w in _NOT_A_LETTER.sub(" ", bare.replace("_", " ")).split() if w)
    return " ".join(words)[:200]


def member_key(member_id: str | None) -> str | None:
    """The plan's member id without surrounding space and case; None when empty."""
    cleaned = (member_id or "").strip().upper()
    return cleaned or None


@dataclass(frozen=True)
class Patient:
    """A referral's patient identity at the organization that refers them."""

    organization_id: int
    name: str
    birth_date: date
    member_id: str | None = None
    plan_id: str | None = None


def _conflicts(episode: Episode, member: str | None, plan_id: str | None) -> bool:
    """Two different member ids of one plan are two people, whatever the name says."""
    return (
        member is not None
        and episode.patient_member_id is not None
        and episode.plan_id == plan_id
        and episode.patient_member_id != member
    )


def find_episode(patient: Patient) -> Episode | None:
    """The patient's earliest episode at the organization: by member id and plan, else by name."""
    member = member_key(patient.member_id)
    if member is not None and patient.plan_id is not None:
        by_member = db.session.scalar(
            select(Episode)
            .where(
                Episode.organization_id == patient.organization_id,
                Episode.plan_id == patient.plan_id,
                Episode.patient_member_id == member,
            )
            .order_by(Episode.id)
            .limit(1)
        )
        if by_member is not None:
            return by_member
    by_name = db.session.scalars(
        select(Episode)
        .where(
            Episode.organization_id == patient.organization_id,
            Episode.patient_name_key == name_key(patient.name),
            Episode.patient_birth_date == patient.birth_date,
        )
        .order_by(Episode.id)
    )
    return next((e for e in by_name if not _conflicts(e, member, patient.plan_id)), None)


def episode_for(patient: Patient, created_by: str, now: datetime) -> Episode:
    """The patient's episode, opened now when they have none; learns a member id it lacked."""
    episode = find_episode(patient)
    member = member_key(patient.member_id)
    if episode is None:
        episode = Episode(
            organization_id=patient.organization_id,
            plan_id=patient.plan_id if member is not None else None,
            patient_name=patient.name,
            patient_name_key=name_key(patient.name),
            patient_birth_date=patient.birth_date,
            patient_member_id=member if patient.plan_id is not None else None,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        db.session.add(episode)
    elif episode.patient_member_id is None and member is not None and patient.plan_id:
        episode.patient_member_id, episode.plan_id = member, patient.plan_id
    db.session.flush()
    return episode
