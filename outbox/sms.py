"""Text messages behind a provider interface: a Twilio-compatible REST API, or none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import requests

from outbox.errors import DeliveryError


class SmsProvider(Protocol):
    """Sends one text; raises DeliveryError when the provider did not take it."""

    def send(self, to: str, text: str) -> None: ...


class NoSmsProvider:
    """No provider configured: every text fails, and stays in the outbox to retry."""

    def send(self, to: str, text: str) -> None:
        raise DeliveryError("no SMS provider configured")


class TwilioCompatibleProvider:
    """POST {base}/Accounts/{sid}/Messages.json with To, From, Body (Twilio's API and clones)."""

    def __init__(self, config: Mapping):
        self.base = config["SMS_API_URL"].rstrip("/")
        self.account = config["SMS_ACCOUNT_SID"]
        self.token = config["SMS_AUTH_TOKEN"]
        self.sender = config["SMS_FROM"]
        self.timeout = float(config.get("OUTBOX_TIMEOUT_SECONDS", 10))

    def send(self, to: str, text: str) -> None:
        url = f"{self.base}/Accounts/{self.account}/Messages.json"
        data = {"To": to, "From": self.sender, "Body": text}
        try:
            response = requests.post(
                url, data=data, auth=(self.account, self.token), timeout=self.timeout
            )
        except requests.RequestException as err:
            raise DeliveryError(type(err).__name__) from None
        if response.status_code >= 300:
            raise DeliveryError(f"HTTP {response.status_code}")


# SMS_PROVIDER -> the class that sends; one table, so the settings' choices are derived from it.
PROVIDERS = {"none": NoSmsProvider, "twilio": TwilioCompatibleProvider}


def provider_for(config: Mapping) -> SmsProvider:
    """The configured provider; an unknown name is a configuration error."""
    name = config.get("SMS_PROVIDER", "none")
    if name not in PROVIDERS:
        raise ValueError(f"SMS_PROVIDER must be one of {', '.join(PROVIDERS)}")
    cls = PROVIDERS[name]
    return cls() if cls is NoSmsProvider else cls(config)
