"""Referral use cases: what every entry point (API, staff pages, FHIR view, CLI) asks for.

Each use case owns visibility (404 for a referral that is not the actor's, audited as denied),
the audit trail (every read, disclosure and refusal), the transaction (commit, or roll back
and audit the refusal) and notification (after the commit). Refusals are referrals.errors;
entry points only translate requests in and errors out. Nothing here assumes who receives a
referral beyond referrals.access, so other kinds of referral reuse these steps.
"""

from referrals.use_cases.clock import local_today, zone
from referrals.use_cases.patient import patient_status
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
)
from referrals.use_cases.screenings import Recorded, record_screening
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
    "Created",
    "Page",
    "Recorded",
    "Shown",
    "create",
    "disclose",
    "expire_idle",
    "fhir_export",
    "inbox",
    "list_visible",
    "load_visible",
    "local_today",
    "managed",
    "patient_status",
    "move",
    "open_and_send",
    "overdue",
    "read",
    "recent",
    "record_screening",
    "rerefer",
    "revoke_consent",
    "set_checklist",
    "shown_after_write",
    "zone",
]
