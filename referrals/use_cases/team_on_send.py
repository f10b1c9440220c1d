"""A sent referral brings its receiver onto the episode's care team (audited; caller commits)."""

from __future__ import annotations

from datetime import datetime

from audit.log import record
from directory.extensions import db
from episodes.models import CareTeamMember
from referrals.care_team import active_members
from referrals.models import Referral


def _receiver(referral: Referral) -> CareTeamMember | None:
    """The member a receiver becomes: the clinician or the program's organization."""
    if referral.clinician is not None:
        return CareTeamMember(
            role="bh_clinician", name=referral.clinician.display_name, npi=referral.clinician.npi
        )
    site = referral.site
    if site is not None and site.service is not None and site.service.organization is not None:
        # The program's organization is not a directory organization: a member by name.
        return CareTeamMember(role="community_program", name=site.service.organization.name)
    return None


def _already(member: CareTeamMember, team: list[CareTeamMember]) -> bool:
    """Is this receiver on the team in this role already (by NPI, else by name)?"""
    for m in team:
        if m.role != member.role:
            continue
        if member.npi is not None and m.npi == member.npi:
            return True
        if member.npi is None and m.npi is None and m.name.casefold() == member.name.casefold():
            return True
    return False


def join_on_send(actor, referral: Referral, now: datetime) -> CareTeamMember | None:
    """Add a just-sent referral's receiver to its episode's team unless already there."""
    if referral.episode_id is None or referral.status != "sent":
        return None
    member = _receiver(referral)
    if member is None or _already(member, active_members(referral.episode_id)):
        return None
    member.episode_id, member.added_by, member.added_at = referral.episode_id, actor.label, now
    db.session.add(member)
    db.session.flush()
    record(actor, "create", "care_team_member", member.id)
    return member
