"""Who is on an episode's care team, and what of the shared care plan each member may see.

The referring practice (and an admin) see the whole plan: it is their record. Any other member
sees the team and the plan's ordinary content under HIPAA's treatment purpose, unless the
patient has revoked a consent given in the episode. A goal or task whose text names a substance
use disorder (42 CFR Part 2, decided from the text) goes only to a member a standing Part 2
consent on one of the episode's referrals names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from directory.extensions import db
from directory.models import Clinician
from episodes.models import CareTeamMember
from referrals.access import can_create
from referrals.consent import PersonName, ReceivingParty, part2_problems
from referrals.disclosure import REVOKED, organization_party
from referrals.part2 import text_hits

NO_PART2_CONSENT = "no 42 CFR part 2 consent on this episode names this member"


@dataclass(frozen=True)
class CarePlanGate:
    """What one reader may see of a care plan: its ordinary content, and Part 2 content."""

    content: bool
    part2: bool
    problems: dict[str, str] = field(default_factory=dict)

    def shows(self, item) -> bool:
        """May the reader see this goal's or task's text?"""
        return self.part2 if item.part2 else self.content


def active_members(episode_id: int) -> list[CareTeamMember]:
    """The episode's current care team, in the order they joined."""
    return list(
        db.session.scalars(
            select(CareTeamMember)
            .where(CareTeamMember.episode_id == episode_id, CareTeamMember.removed_at.is_(None))
            .order_by(CareTeamMember.id)
        )
    )


def members_acting_as(actor, members: Iterable[CareTeamMember]) -> list[CareTeamMember]:
    """The team members the actor signs in as: their clinician NPI, or their organization."""
    if actor is None:
        return []
    return [
        m
        for m in members
        if (m.npi is not None and m.npi in actor.npis)
        or (m.organization_id is not None and m.organization_id == actor.organization_id)
    ]


def episodes_on_team(actor, episode_ids: Iterable[int]) -> set[int]:
    """Of these episodes, those whose current team the actor signs in as a member of."""
    ids = set(episode_ids)
    if actor is None or not ids:
        return set()
    as_member = []
    if actor.organization_id is not None:
        as_member.append(CareTeamMember.organization_id == actor.organization_id)
    if actor.npis:
        as_member.append(CareTeamMember.npi.in_(sorted(actor.npis)))
    if not as_member:
        return set()
    query = select(CareTeamMember.episode_id).where(
        CareTeamMember.episode_id.in_(ids), CareTeamMember.removed_at.is_(None), or_(*as_member)
    )
    return set(db.session.scalars(query))


def may_write(relations: frozenset[str]) -> bool:
    """Members and the referring side add and change goals and tasks."""
    return bool({"referrer", "admin", "member"} & relations)


def may_manage_team(actor, relations: frozenset[str]) -> bool:
    """The referring side (a referring role of the practice) or an admin keep the roster."""
    return "admin" in relations or ("referrer" in relations and can_create(actor))


def _clinician_party(npi: str) -> ReceivingParty:
    """A listed clinician and the practices they see patients for, as a consent may name them."""
    clinician = db.session.scalar(select(Clinician).where(Clinician.npi == npi))
    if clinician is None:
        return ReceivingParty(npis=frozenset({npi}))
    organizations = {link.organization for link in clinician.locations if link.organization}
    person = PersonName(
        clinician.first_name, clinician.last_name, clinician.middle_name, clinician.name_suffix
    )
    return ReceivingParty(
        npis=frozenset({npi, *(o.npi for o in organizations if o.npi)}),
        person_names=(person,),
        organization_names=frozenset(o.name for o in organizations),
    )


def member_party(member: CareTeamMember) -> ReceivingParty:
    """The member as a consent's recipients may name them."""
    if member.npi is not None:
        return _clinician_party(member.npi)
    return organization_party(member.organization_id)


def _part2_named(referrals, parties: list[ReceivingParty], today: date) -> bool:
    """Does a standing Part 2 consent on one of the referrals name one of the parties?"""
    return any(
        not part2_problems(r.consent, r.patient_name, party, today)
        for r in referrals
        if r.consent is not None
        for party in parties
    )


def care_plan_gate(relations: frozenset[str], acting_as, referrals, today: date) -> CarePlanGate:
    """What a reader who stands to the episode as `relations` may see of its care plan today."""
    if {"referrer", "admin"} & relations:
        return CarePlanGate(content=True, part2=True)
    if "member" not in relations:
        return CarePlanGate(content=False, part2=False, problems={"member": "not on the team"})
    if any(r.consent is not None and r.consent.revoked_at is not None for r in referrals):
        return CarePlanGate(content=False, part2=False, problems={"revoked": REVOKED})
    if _part2_named(referrals, [member_party(m) for m in acting_as], today):
        return CarePlanGate(content=True, part2=True)
    return CarePlanGate(content=True, part2=False, problems={"part2": NO_PART2_CONSENT})


def classify_text(item, text: str) -> None:
    """Keep a goal's or task's Part 2 flag in step with its text; once found, never taken back."""
    hits = {f"text:{hit}" for hit in text_hits(text)}
    item.part2 = bool(item.part2) or bool(hits)
    item.part2_basis = sorted({*(item.part2_basis or ()), *hits})
