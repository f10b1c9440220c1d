"""Email notices over SMTP: a link and a status, never patient information."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select

from accounts.models import User
from directory.extensions import db
from referrals.access import program_organization_id
from referrals.lifecycle import STATUS_TABLE, TELLS_RECEIVER
from referrals.models import Referral
from referrals.program_status import shown_status

log = logging.getLogger(__name__)

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


def deliver(config: Mapping, notice: Notice) -> bool:
    """Send one email; a mail failure is logged (without addresses) and never raised."""
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "referrals@localhost")
    message["To"] = ", ".join(notice.to)
    message["Subject"] = notice.subject
    message.set_content(notice.body)
    try:
        with smtplib.SMTP(
            config.get("MAIL_SERVER", "localhost"),
            int(config.get("MAIL_PORT", 25)),
            timeout=float(config.get("MAIL_TIMEOUT_SECONDS", 5)),
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as err:
        log.warning("referral notice %r not sent: %s", notice.subject, type(err).__name__)
        return False
    return True


def notify(config: Mapping, referral: Referral) -> int:
    """Email everyone the referral's current status concerns; returns how many were sent."""
    if not config.get("MAIL_ENABLED"):
        return 0
    return sum(deliver(config, notice) for notice in notices_for(config, referral))


def return_notices(config: Mapping, referral: Referral) -> list[Notice]:
    """The referring clinician hears that information came back: a link, never its content."""
    if not referral.referrer_email:
        return []
    link = referral_link(config, referral.id)
    body = f"The clinician sent information back on referral #{referral.id}. Details:\n{link}\n"
    return [Notice((referral.referrer_email,), f"Referral #{referral.id}: information back", body)]


def notify_return(config: Mapping, referral: Referral) -> int:
    """Email the referring side that a structured return arrived; returns how many were sent."""
    if not config.get("MAIL_ENABLED"):
        return 0
    return sum(deliver(config, notice) for notice in return_notices(config, referral))
