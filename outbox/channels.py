"""The channels a message can leave by, one table: name -> how to send a stored message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from outbox.email import send_email
from outbox.errors import DeliveryError
from outbox.models import OutboxMessage
from outbox.sms import provider_for
from outbox.webhook import post, secret_for, signed_headers


def _email(config: Mapping, message: OutboxMessage, at: datetime) -> None:
    if not config.get("MAIL_ENABLED"):
        raise DeliveryError("mail is off (MAIL_ENABLED)")
    send_email(config, message.destination, message.subject or "", message.body)


def _sms(config: Mapping, message: OutboxMessage, at: datetime) -> None:
    provider_for(config).send(message.destination, message.body)


def _webhook(config: Mapping, message: OutboxMessage, at: datetime) -> None:
    # Signed now, per attempt: a receiver that rejects stale timestamps accepts a retry.
    signed = signed_headers(secret_for(message.reference), message.body, at)
    post(config, message.destination, message.body, {**(message.headers or {}), **signed})


CHANNELS: dict[str, Callable[[Mapping, OutboxMessage, datetime], None]] = {
    "email": _email,
    "sms": _sms,
    "webhook": _webhook,
}


def send(config: Mapping, message: OutboxMessage, at: datetime) -> None:
    """Send by the message's channel at `at`; DeliveryError when it did not go."""
    CHANNELS[message.channel](config, message, at)
