"""Keep a referral's Part 2 classification in step with what it carries."""

from __future__ import annotations

from referrals.part2 import Content, Finding, classify


def content_of(referral) -> Content:
    """Everything on a stored (or new) referral the Part 2 rule reads."""
    return Content(
        diagnoses=tuple(referral.diagnoses or ()),
        medications=tuple(referral.medications or ()),
        conditions=tuple(referral.conditions or ()),
        reason=referral.reason,
        notes=referral.notes,
        needs=referral.needs or {},
        event_notes=tuple(e.note for e in referral.events if e.note),
        checklist_notes=tuple(c.note for c in referral.checklist if c.note),
        flag=bool(referral.substance_use),
    )


def reclassify(referral) -> Finding:
    """Classify `referral` from its content now; Part 2 once found is never taken back."""
    finding = classify(content_of(referral))
    add_part2(referral, finding.basis, part2=finding.part2)
    return finding


def add_part2(referral, basis, part2: bool = True) -> None:
    """Add Part 2 matches found elsewhere (a message) to the referral's; never take any back."""
    referral.part2 = bool(referral.part2) or part2
    referral.part2_basis = sorted({*(referral.part2_basis or ()), *basis})
