"""The coordination-of-care checklist kept on every referral, each step with who and when."""

from __future__ import annotations

from datetime import datetime

from referrals.content import reclassify
from referrals.models import ChecklistItem, Referral

CHECKLIST_ITEMS = {
    "consent_on_file": "Consent / release of information on file",
    "clinical_info_sent": "Clinical information sent to the behavioral-health clinician",
    "benefits_explained": "Patient told the benefits of coordinated care",
    "treatment_info_requested": "Clinician's treatment and medication information requested back",
    "progress_notes_documented": "Coordination actions documented in the progress notes",
}

# Steps a received document satisfies, never a tick: the clinician's treatment and medication
# information counts as back only when their structured return arrives (referrals.returns).
RECEIVED_ITEMS = frozenset({"treatment_info_requested"})
TICKABLE_ITEMS = tuple(item for item in CHECKLIST_ITEMS if item not in RECEIVED_ITEMS)


def start_checklist(referral: Referral) -> None:
    """Give a new referral one open entry per checklist item."""
    have = {entry.item for entry in referral.checklist}
    for item in CHECKLIST_ITEMS:
        if item not in have:
            referral.checklist.append(ChecklistItem(item=item, done=False))


def entry(referral: Referral, item: str) -> ChecklistItem:
    """The referral's entry for `item` (created if missing); KeyError for an unknown item."""
    if item not in CHECKLIST_ITEMS:
        raise KeyError(item)
    for existing in referral.checklist:
        if existing.item == item:
            return existing
    created = ChecklistItem(item=item, done=False)
    referral.checklist.append(created)
    return created


def tick(
    referral: Referral, item: str, actor, now: datetime, note: str | None = None, done=True
) -> ChecklistItem:
    """Mark `item` done (or not) by `actor` at `now`; unticking keeps who undid it and when."""
    row = entry(referral, item)
    row.done = done
    row.done_by = actor.label if actor is not None else "system"
    row.done_at = now
    if note is not None:
        row.note = note
        reclassify(referral)  # a note may name a substance use disorder too
    return row


def receive(referral: Referral, item: str, actor, now: datetime) -> ChecklistItem:
    """Mark a received-document step done the first time its document arrives."""
    row = entry(referral, item)
    if not row.done:
        row.done, row.done_by, row.done_at = True, actor.label, now
    return row
