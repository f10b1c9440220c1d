"""The caller's plan on the call console: as chosen, else the one the member id points to.

The rule is directory.member_ids (the page's script runs the same formats); this module only
puts its verdict in the agent's words. The member id is read from the form and never logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from directory.member_ids import check, normalized


@dataclass(frozen=True)
class MemberPlan:
    """The plan to search and refer with (None: none chosen or found), what to tell the agent,
    and whether the chosen plan and the member id disagree."""

    plan: str | None = None
    note: str | None = None
    disagrees: bool = False


def _names(plans) -> str:
    return ", ".join(p.name for p in plans)


def picked_words() -> str:
    """What the console says before the plan it chose (the script says the same)."""
    return _("Plan chosen from the member ID:")


def several_words() -> str:
    """What the console says before the plans whose member ids look alike."""
    return _("Member IDs of more than one plan look like this; choose the plan:")


def none_words() -> str:
    """What the console says when no plan's member ids look like this one."""
    return _("No plan's member IDs look like this; choose the plan.")


def disagree_words() -> str:
    """What the console says before the chosen plan the member id does not fit."""
    return _("The member ID does not fit the format of:")


def script_words() -> dict[str, str]:
    """The same words for the page's script, by data attribute."""
    return {
        "picked": picked_words(),
        "several": several_words(),
        "none": none_words(),
        "disagree": disagree_words(),
    }


def member_plan(plans: list, chosen: str | None, member_id: str | None) -> MemberPlan:
    """The plan chosen on the form (with a warning when the member id disagrees), else the one
    plan whose member-id format the id fits, else None with the reason."""
    offered = {p.id: p for p in plans}
    chosen = chosen if chosen in offered else None
    found = check(member_id, plans, chosen)
    if chosen is not None:
        if found.chosen_fits is False:
            return MemberPlan(chosen, f"{disagree_words()} {offered[chosen].name}", True)
        return MemberPlan(chosen)
    if not normalized(member_id):
        return MemberPlan()
    if found.only is not None:
        return MemberPlan(found.only.id, f"{picked_words()} {found.only.name}")
    if found.matching:
        return MemberPlan(None, f"{several_words()} {_names(found.matching)}")
    return MemberPlan(None, none_words())
