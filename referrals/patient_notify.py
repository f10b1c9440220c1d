"""Queue an opted-in patient's status notice in the outbox, with the change that caused it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from directory.extensions import db
from outbox.queue import enqueue
from referrals.models import Referral
from referrals.notice_models import NoticeOptOut
from referrals.notice_optout import address_key, e164, stop_token
from referrals.patient_notices import (
    PatientNotice,
    email_message,
    tells_patient,
    text_message,
)

PURPOSE = "patient_notice"


def destination(referral: Referral) -> str | None:
    """Where the patient's notices go by the channel they chose (None: nowhere usable)."""
    if referral.patient_notices == "sms":
        return e164(referral.patient_phone)
    if referral.patient_notices == "email":
        return (referral.patient_email or "").strip() or None
    return None


def opted_out(config: Mapping, channel: str, address: str) -> bool:
    """True when this address has stopped patient notices."""
    key = address_key(config["SECRET_KEY"], channel, address)
    found = db.session.scalar(
        select(NoticeOptOut.id).where(
            NoticeOptOut.channel == channel, NoticeOptOut.address_key == key
        )
    )
    return found is not None


def channel_on(config: Mapping, channel: str) -> bool:
    """The channel can send at all: mail on, or an SMS provider configured."""
    if channel == "email":
        return bool(config.get("MAIL_ENABLED"))
    return config.get("SMS_PROVIDER", "none") != "none"


def notice_for(config: Mapping, referral: Referral) -> PatientNotice:
    """The builder's input: the status, the language and the practice's contact only."""
    practice = referral.referring_organization
    return PatientNotice(
        status=referral.status,
        language=referral.patient_preferred_language,
        practice=practice.name,
        phone=practice.phone or referral.referrer_phone,
        appointment_at=referral.appointment_at if referral.status == "scheduled" else None,
        zone=ZoneInfo(config.get("REFERRAL_TIMEZONE") or "UTC"),
    )


def stop_link(config: Mapping, referral: Referral, now: datetime) -> str:
    """The email's signed stop link (the referral number and an expiry, no PHI)."""
    base = (config.get("APP_BASE_URL") or "").rstrip("/")
    days = int(config.get("PATIENT_NOTICE_LINK_DAYS", 90))
    token = stop_token(config["SECRET_KEY"], referral.id, now, days)
    return f"{base}/notices/stop/{token}"


def just_moved(referral: Referral) -> bool:
    """True when the referral's last event changed its status or set a new appointment."""
    if not referral.events:
        return False
    last = referral.events[-1]
    return last.from_status != last.to_status or last.type == "schedule"


def queue_patient_notice(config: Mapping, referral: Referral, now: datetime) -> list[int]:
    """Queue the patient's notice for the referral's new status, in the caller's transaction."""
    channel = referral.patient_notices
    if channel not in ("sms", "email") or not tells_patient(referral.status):
        return []
    if not just_moved(referral):
        return []
    to = destination(referral)
    if to is None or not channel_on(config, channel) or opted_out(config, channel, to):
        return []
    notice = notice_for(config, referral)
    reference = f"referral:{referral.id}"
    if channel == "sms":
        message = enqueue("sms", to, text_message(notice), purpose=PURPOSE, reference=reference)
    else:
        mail = email_message(notice, stop_link(config, referral, now))
        message = enqueue(
            "email", to, mail.body, subject=mail.subject, purpose=PURPOSE, reference=reference
        )
    db.session.flush()
    return [message.id]
