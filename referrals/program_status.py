"""Status words a community organization uses for a program referral (pure), in one table.

The words are findhelp's closed-loop referral statuses. Each row says which lifecycle status it
stands for (so the PCP board, follow-up and reports keep working), the FHIR R4 Task.status the
Gravity SDOH Clinical Care IG's Task for Referral Management carries for it, the businessStatus
code, and the words a patient who opted in is shown (no program type, no diagnosis).
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals.errors import Conflict
from referrals.lifecycle import BY_CODE as LIFECYCLE
from referrals.lifecycle import OPEN
from referrals.words import N_


@dataclass(frozen=True)
class ProgramStatus:
    """One community status and its place in the lifecycle and in FHIR."""

    code: str
    words: str  # English label for staff; pages translate it
    lifecycle: str  # the referral lifecycle status it stands for
    task: str  # Task.status (Gravity SDOHCC Task for Referral Management)
    patient_words: str  # what an opted-in patient is told; pages translate it

    @property
    def terminal(self) -> bool:
        """Nothing more happens: the lifecycle status it stands for is terminal."""
        return LIFECYCLE[self.lifecycle].terminal


# fmt: off
PROGRAM_STATUS_TABLE: tuple[ProgramStatus, ...] = (
    ProgramStatus("pending", N_("Pending"), "sent", "requested",
                  N_("Sent. The organization has not answered yet.")),
    ProgramStatus("needs_client_action", N_("Needs client action"), "acknowledged", "on-hold",
                  N_("The organization is waiting for you to contact them.")),
    ProgramStatus("eligible", N_("Eligible"), "accepted", "accepted",
                  N_("The organization says you can get help there.")),
    ProgramStatus("got_help", N_("Got help"), "closed", "completed",
                  N_("Done: you got help.")),
    ProgramStatus("couldnt_contact", N_("Couldn't contact"), "declined", "failed",
                  N_("Closed: the organization could not reach you.")),
    ProgramStatus("not_eligible", N_("Not eligible"), "declined", "rejected",
                  N_("Closed: the organization cannot help with this request.")),
    ProgramStatus("no_capacity", N_("No capacity"), "declined", "rejected",
                  N_("Closed: the organization has no room right now.")),
    ProgramStatus("couldnt_get_help", N_("Couldn't get help"), "closed", "failed",
                  N_("Closed: you did not get help there.")),
    ProgramStatus("no_longer_interested", N_("No longer interested"), "cancelled", "cancelled",
                  N_("Closed: you no longer need this help.")),
    ProgramStatus("referred_elsewhere", N_("Referred elsewhere"), "declined", "rejected",
                  N_("Closed: the organization sent you to another place.")),
)
# fmt: on
BY_CODE: dict[str, ProgramStatus] = {row.code: row for row in PROGRAM_STATUS_TABLE}
PROGRAM_STATUSES = tuple(BY_CODE)
# What a program's staff may report: every status but the one a sent referral starts in.
REPORTABLE = tuple(code for code in PROGRAM_STATUSES if code != "pending")
INITIAL = "pending"
BUSINESS_SYSTEM = "urn:bh-directory:program-referral-status"


class ReportConflict(Conflict):
    """A report that changes nothing (the referral already has that status)."""

    def __init__(self, code: str):
        super().__init__(f"the referral is already {code}", code="report_same")


def program_status(code: str) -> ProgramStatus:
    """The table row for `code` (KeyError for an unknown status)."""
    return BY_CODE[code]


def reported_target(current: str | None, reported: str) -> str:
    """The lifecycle status a report of `reported` leads to (ReportConflict when unchanged)."""
    if reported == current:
        raise ReportConflict(reported)
    return BY_CODE[reported].lifecycle


def shown_status(referral) -> ProgramStatus | None:
    """The community status a program referral is in, or None (a draft, or cancelled/expired
    by the referring side or the expiry job, which the lifecycle's own words describe)."""
    row = BY_CODE.get(referral.program_status or "")
    if row is None or row.lifecycle != referral.status:
        return None
    return row


def reportable_from(status: str) -> bool:
    """A program may report on a referral that has been sent and is still open."""
    return status in OPEN and status != "draft"
