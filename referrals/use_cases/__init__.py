"""Referral use cases: what every entry point (API, staff pages, FHIR view, CLI) asks for.

Each use case owns visibility (404 for a referral that is not the actor's, audited as denied),
the audit trail (every read, disclosure and refusal), the transaction (commit, or roll back
and audit the refusal) and notification (after the commit). Refusals are referrals.errors;
entry points only translate requests in and errors out. Nothing here assumes who receives a
referral beyond referrals.access, so other kinds of referral reuse these steps.
"""

from referrals.clock import local_today, zone
from referrals.use_cases.board import Board, board
from referrals.use_cases.bser import Received, ReferralQuery, receive, search_referrals
from referrals.use_cases.care_plan_reads import CarePlan, care_plan_fhir, read_care_plan
from referrals.use_cases.care_plan_writes import (
    Written,
    add_goal,
    add_member,
    add_task,
    change_goal,
    change_task,
    remove_member,
)
from referrals.use_cases.econsent import (
    LinkView,
    open_consent_link,
    revoke_by_link,
    send_consent_request,
    sign_by_link,
)
from referrals.use_cases.episodes import EpisodeRecord, load_episode, read_episode
from referrals.use_cases.patient import patient_status
from referrals.use_cases.patient_notices import sms_inbound, stop_by_link, stop_link_referral
from referrals.use_cases.reads import (
    Page,
    Shown,
    disclose,
    fhir_export,
    inbox,
    list_visible,
    load_visible,
    managed,
    overdue,
    read,
    recent,
    shown_after_write,
    shown_export,
)
from referrals.use_cases.returns import WithReturns, read_with_returns, returns_for, send_return
from referrals.use_cases.screenings import Recorded, attached_screenings, record_screening
from referrals.use_cases.timeline import Timeline, read_timeline
from referrals.use_cases.writes import (
    Created,
    create,
    expire_idle,
    move,
    open_and_send,
    rerefer,
    revoke_consent,
    set_checklist,
)

__all__ = [
    "Board",
    "board",
    "LinkView",
    "open_consent_link",
    "revoke_by_link",
    "send_consent_request",
    "sign_by_link",
    "ReferralQuery",
    "Received",
    "receive",
    "search_referrals",
    "shown_export",
    "CarePlan",
    "Written",
    "add_goal",
    "add_member",
    "add_task",
    "care_plan_fhir",
    "change_goal",
    "change_task",
    "read_care_plan",
    "remove_member",
    "Created",
    "EpisodeRecord",
    "Page",
    "Recorded",
    "Shown",
    "WithReturns",
    "attached_screenings",
    "create",
    "disclose",
    "expire_idle",
    "fhir_export",
    "inbox",
    "list_visible",
    "load_episode",
    "load_visible",
    "local_today",
    "managed",
    "patient_status",
    "sms_inbound",
    "stop_by_link",
    "stop_link_referral",
    "move",
    "open_and_send",
    "overdue",
    "read",
    "read_with_returns",
    "read_episode",
    "read_timeline",
    "Timeline",
    "recent",
    "record_screening",
    "rerefer",
    "returns_for",
    "revoke_consent",
    "send_return",
    "set_checklist",
    "shown_after_write",
    "zone",
]
