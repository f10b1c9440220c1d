"""Referral email notices, sent through the outbox: a link and a status, never PHI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from accounts.models import User
from directory.extensions import db
from outbox.queue import enqueue
from referrals.access import program_organization_id
from referrals.lifecycle import STATUS_TABLE, TELLS_RECEIVER
from referrals.models import Referral
from referrals.program_status import shown_status

# How an email finishes "Referral #12 is now ...", from the status table.
STATUS_WORDS = {row.code: row.notice for row in STATUS_TABLE}
# Statuses the receiving clinician hears about: a new referral, and one they can stop on.
CLINICIAN_STATUSES = TELLS_RECEIVER


@dataclass(frozen=True)
class Notice:
    """One email: recipients, subject and a body that carries no PHI."""

    to: tuple[str, ...]
    subject: str
    body: str


def referral_link(config: Mapping, referral_id: int) -> str:
    """Where the reader signs in to see the referral on their own pages; the id is not PHI."""
    base = (config.get("APP_BASE_URL") or "").rstrip("/")
    return f"{base}/referrals/{referral_id}"


def clinician_emails(referral: Referral) -> tuple[str, ...]:
    """The receiving side's active users: the clinician's, or the program organization's staff."""
    if referral.clinician is None:
        return community_emails(program_organization_id(referral))
    rows = db.session.scalars(
        select(User.email).where(
            User.role == "clinician", User.active.is_(True), User.npi == referral.clinician.npi
        )
    )
    return tuple(sorted(rows))


def community_emails(organization_id: int | None) -> tuple[str, ...]:
    """Active community users of the program organization."""
    if organization_id is None:
        return ()
    rows = db.session.scalars(
        select(User.email).where(
            User.role == "community",
            User.active.is_(True),
            User.program_organization_id == organization_id,
        )
    )
    return tuple(sorted(rows))


def notices_for(config: Mapping, referral: Referral) -> list[Notice]:
    """The emails a referral's new status calls for (the status is already applied)."""
    link = referral_link(config, referral.id)
    notices = []
    if referral.status in CLINICIAN_STATUSES:
        to = clinician_emails(referral)
        if to and referral.status == "sent":
            body = f"You have a new referral (#{referral.id}). Sign in to read it:\n{link}\n"
            notices.append(Notice(to, f"New referral #{referral.id}", body))
        elif to:
            words = STATUS_WORDS[referral.status]
            body = f"Referral #{referral.id} was {words}. Details:\n{link}\n"
            notices.append(Notice(to, f"Referral #{referral.id} {referral.status}", body))
    # The referring clinician hears of every change they did not make by sending.
    if referral.referrer_email and referral.status != "sent":
        words = _notice_words(referral)
        body = f"Referral #{referral.id} is now {words}. Details:\n{link}\n"
        notices.append(
            Notice((referral.referrer_email,), f"Referral #{referral.id} {referral.status}", body)
        )
    return notices


def _notice_words(referral: Referral) -> str:
    """The status as the referrer's email says it: a program's own status word when it has one."""
    row = shown_status(referral)
    if row is not None:
        return f"marked {row.words.lower()!r} by the program"
    return STATUS_WORDS.get(referral.status, referral.status)


def enqueue_notices(notices: list[Notice], purpose: str, reference: str) -> list[int]:
    """Put one email per recipient in the outbox, in the caller's transaction; their ids."""
    messages = [
        enqueue(
            "email", to, notice.body, subject=notice.subject, purpose=purpose, reference=reference
        )
        for notice in notices
        for to in notice.to
    ]
    db.session.flush()
    return [message.id for message in messages]


def queue_notify(config: Mapping, referral: Referral) -> list[int]:
    """Queue the emails the referral's current status calls for (none with mail off)."""
    if not config.get("MAIL_ENABLED"):
        return []
    reference = f"referral:{referral.id}"
    return enqueue_notices(notices_for(config, referral), "referral_notice", reference)


def return_notices(config: Mapping, referral: Referral) -> list[Notice]:
    """The referring clinician hears that information came back: a link, never its content."""
    if not referral.referrer_email:
        return []
    link = referral_link(config, referral.id)
    body = f"The clinician sent information back on referral #{referral.id}. Details:\n{link}\n"
    return [Notice((referral.referrer_email,), f"Referral #{referral.id}: information back", body)]


def queue_return_notice(config: Mapping, referral: Referral) -> list[int]:
    """Queue the email that tells the referring side a structured return arrived."""
    if not config.get("MAIL_ENABLED"):
        return []
    reference = f"referral:{referral.id}"
    return enqueue_notices(return_notices(config, referral), "return_notice", reference)
