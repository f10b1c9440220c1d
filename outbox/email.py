"""Email over SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage

from outbox.errors import DeliveryError


def send_email(config: Mapping, to: str, subject: str, body: str) -> None:
    """Send one plain-text email to `to` (comma-separated addresses); DeliveryError on failure."""
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "referrals@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
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
        raise DeliveryError(type(err).__name__) from None
