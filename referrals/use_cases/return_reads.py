"""Reading a referral's structured returns: each gated for the reader and audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.log import record
from directory.extensions import db
from referrals.clock import local_today
from referrals.return_models import ReferralReturn
from referrals.returns import Reader, ReturnView, view

# The clinician's side reads its own returns; anyone else has them disclosed to them.
AUTHOR_SIDE = frozenset({"receiver", "admin"})


def returns_for(actor, shown) -> list[ReturnView]:
    """The referral's returns, oldest first, each gated and audited (the caller commits)."""
    problems = {} if shown.disclosure.allowed else dict(shown.disclosure.problems)
    reader = Reader(shown.relations, actor.organization_id, problems)
    rows = db.session.scalars(
        select(ReferralReturn)
        .options(selectinload(ReferralReturn.scores))
        .where(ReferralReturn.referral_id == shown.referral.id)
        .order_by(ReferralReturn.id)
    ).all()
    action = "read" if AUTHOR_SIDE & shown.relations else "disclose"
    today = local_today()
    views = [view(row, reader, today) for row in rows]
    for seen in views:
        outcome = "ok" if seen.allowed else "blocked"
        record(actor, action, "referral_return", seen.row.id, outcome=outcome)
    return views
