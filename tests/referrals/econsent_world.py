"""E-consent helpers: a referral, a link sent for it, and the token read from the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.extensions import db
from outbox.models import OutboxMessage
from referrals.econsent_models import ConsentRequest

LINK = re.compile(r"/consent/([A-Za-z0-9_-]+)")


def open_referral(pcp, body: dict) -> int:
    """A draft referral made through the API; its id."""
    response = pcp.post("/api/v1/referrals", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def send_link(pcp, referral_id: int, form="release", channel="email", to="maria@example.org"):
    """POST the console's e-consent form; the response."""
    data = {"channel": channel, "destination": to, "form": form}
    return pcp.post(f"/pcp/referrals/{referral_id}/consent/request", data=data)


def last_message() -> OutboxMessage:
    """The newest consent-request message in the outbox."""
    query = select(OutboxMessage).where(OutboxMessage.purpose == "consent_request")
    return db.session.scalars(query.order_by(OutboxMessage.id.desc())).first()


def token_in(message: OutboxMessage) -> str:
    """The token the message's link carries."""
    return LINK.search(message.body).group(1)


def requests_of(referral_id: int) -> list[ConsentRequest]:
    """Every consent request of a referral, oldest first."""
    query = select(ConsentRequest).where(ConsentRequest.referral_id == referral_id)
    return list(db.session.scalars(query.order_by(ConsentRequest.id)))
