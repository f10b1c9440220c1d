"""A patient stops (or restarts) their status notices: a STOP text or an email's stop link.

Each outcome is audited without the phone number or the address: an opt-out row's id, or the
referral's number for a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select

from audit.log import record
from directory.extensions import db
from referrals.models import Referral
from referrals.notice_models import NoticeOptOut
from referrals.notice_optout import (
    address_key,
    e164,
    inbound_word,
    read_stop_token,
    signed_by_twilio,
)


def opt_out(config: Mapping, channel: str, address: str) -> NoticeOptOut:
    """The address's opt-out, added when it has none yet (in the caller's transaction)."""
    key = address_key(config["SECRET_KEY"], channel, address)
    found = db.session.scalar(
        select(NoticeOptOut).where(NoticeOptOut.channel == channel, NoticeOptOut.address_key == key)
    )
    if found is None:
        found = NoticeOptOut(channel=channel, address_key=key)
        db.session.add(found)
        db.session.flush()
    return found


def _opt_in(config: Mapping, phone: str) -> None:
    """START: the phone hears again (the carrier resumes delivery too)."""
    key = address_key(config["SECRET_KEY"], "sms", phone)
    db.session.execute(
        delete(NoticeOptOut).where(NoticeOptOut.channel == "sms", NoticeOptOut.address_key == key)
    )
    record(None, "opt_in", "patient_notice", None)


def sms_inbound(config: Mapping, url: str, params: dict[str, str], signature: str) -> bool:
    """Act on a text the provider forwarded; False (audited) when Twilio did not sign it."""
    if not signed_by_twilio(config.get("SMS_AUTH_TOKEN", ""), url, params, signature):
        record(None, "sms_inbound", "patient_notice", None, outcome="denied")
        db.session.commit()
        return False
    word, phone = inbound_word(params.get("Body")), e164(params.get("From"))
    if word == "stop" and phone is not None:
        row = opt_out(config, "sms", phone)
        record(None, "opt_out", "patient_notice", row.id)
    elif word == "start" and phone is not None:
        _opt_in(config, phone)
    db.session.commit()
    return True


def stop_link_referral(config: Mapping, token: str, now: datetime) -> Referral | None:
    """The referral whose emails a stop link stops (None: forged, expired or not by email)."""
    link = read_stop_token(config["SECRET_KEY"], token, now)
    referral = db.session.get(Referral, link.referral_id) if link is not None else None
    if referral is None or not referral.patient_email:
        return None
    return referral


def stop_by_link(config: Mapping, token: str, now: datetime) -> bool:
    """Stop the emails a stop link names; False (audited as denied) for a bad or old link."""
    referral = stop_link_referral(config, token, now)
    if referral is None:
        record(None, "opt_out", "patient_notice", None, outcome="denied")
        db.session.commit()
        return False
    row = opt_out(config, "email", referral.patient_email)
    record(None, "opt_out", "referral", referral.id)
    record(None, "opt_out", "patient_notice", row.id)
    db.session.commit()
    return True
