"""Apply lifecycle events to stored referrals: record the event, stamp times, flag listings."""

from __future__ import annotations

from datetime import date, datetime

from corrections.intake import file_decline
from directory.facts import clinician, observe
from referrals.access import relations
from referrals.checklist import tick
from referrals.content import reclassify
from referrals.disclosure import sending_problems
from referrals.errors import Blocked
from referrals.lifecycle import FLAGGING_DECLINES, EventInput, decide
from referrals.models import Referral, ReferralEvent
from referrals.program_status import INITIAL, reported_target

# The referral column each event stamps with the time it happened.
STAMPS = {
    "send": "sent_at",
    "acknowledge": "acknowledged_at",
    "accept": "accepted_at",
    "close": "closed_at",
}
SYSTEM_RELATIONS = frozenset({"system"})


PART2_BLOCKED = "the consent does not permit disclosure to the receiving clinician (42 CFR 2.31)"
CONSENT_BLOCKED = "the consent does not permit disclosure to the receiving clinician"


class ConsentBlocked(Blocked):
    """The consent does not permit disclosing this referral to its clinician."""

    def __init__(self, problems: dict[str, str], part2: bool = True):
        message, code = (PART2_BLOCKED, "part2_consent") if part2 else (CONSENT_BLOCKED, "consent")
        super().__init__(message, {"consent": problems}, code=code)
        self.problems = problems


def flag_listing(referral: Referral, reason: str, now: datetime) -> None:
    """A decline that says the listing is wrong flags it and files it in the correction queue."""
    text = FLAGGING_DECLINES.get(reason)
    if text is None:
        return
    if reason == "not_in_network" and referral.plan_id:
        text = f"{text} {referral.plan_id}"
    referral.clinician.flagged_reason = text[:200]
    referral.clinician.flagged_at = now
    _observe_decline(referral, reason, now)
    file_decline(referral.clinician, reason, referral.plan_id, referral.id, now)


def _observe_decline(referral: Referral, reason: str, now: datetime) -> None:
    """The practice's own answer is an observation of the fact it contradicts."""
    who = clinician(referral.clinician_id)
    ref = f"referral:{referral.id}"
    if reason == "not_accepting_new_patients":
        observe(
            who,
            "accepting_new_patients",
            False,
            "referral_decline",
            observed_at=now,
            source_ref=ref,
        )
    elif reason == "not_in_network" and referral.plan_id:
        observe(
            who,
            "network_participation",
            False,
            "referral_decline",
            observed_at=now,
            network_id=referral.plan_id,
            source_ref=ref,
        )


def fire(
    referral: Referral, actor, event: EventInput, now: datetime, today: date | None = None
) -> ReferralEvent:
    """Move `referral` by `event` for `actor` (None: the system), recording who, when and why."""
    found = relations(actor, referral) if actor is not None else SYSTEM_RELATIONS
    target = decide(referral.status, found, event, referral.kind)
    if event.type == "report":
        target = reported_target(referral.program_status, event.program_status)
    if event.type == "send":
        # Consent dates are calendar days where the service runs (`today`), not in UTC.
        problems = sending_problems(referral, today or now.date())
        if problems:
            raise ConsentBlocked(problems, part2=bool(referral.part2))
    record = ReferralEvent(
        type=event.type,
        from_status=referral.status,
        to_status=target,
        actor=actor.label if actor is not None else "system",
        actor_role=actor.role if actor is not None else "system",
        at=now,
        note=event.note,
        reason=event.reason,
        appointment_at=event.appointment_at,
        program_status=event.program_status if event.type == "report" else None,
    )
    referral.events.append(record)
    referral.status = target
    _apply_effects(referral, actor, event, now)
    if event.note:
        reclassify(referral)  # a note may name a substance use disorder too
    return record


def _apply_effects(referral: Referral, actor, event: EventInput, now: datetime) -> None:
    """What an event changes besides the status: times, the decline reason, the checklist."""
    referral.updated_at = now
    if event.type in STAMPS:
        setattr(referral, STAMPS[event.type], now)
    if event.type == "schedule":
        referral.appointment_at = event.appointment_at
    if event.type == "decline":
        referral.decline_reason = event.reason
        flag_listing(referral, event.reason, now)
    if event.type == "send":
        tick(referral, "clinical_info_sent", actor, now)
        if referral.kind == "program":
            referral.program_status = INITIAL
    if event.type == "report":
        _apply_report(referral, event.program_status, now)


def _apply_report(referral: Referral, reported: str, now: datetime) -> None:
    """A community status: recorded, with the lifecycle times it implies stamped once."""
    referral.program_status = reported
    if referral.acknowledged_at is None:
        referral.acknowledged_at = now  # any answer from the program acknowledges it
    if referral.status == "accepted" and referral.accepted_at is None:
        referral.accepted_at = now
    if referral.status in ("closed", "declined", "cancelled"):
        referral.closed_at = now
