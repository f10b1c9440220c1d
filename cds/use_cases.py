"""CDS Hooks use cases: who is calling, the hook call, feedback. Audit and commit here.

A hook's prefetch (and what it fetched) lives only in this call: findings become cards sent
back to the EHR that asked, and only each card's uuid is stored, never its words.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from accounts.identity import Actor
from audit.log import record
from cds.cards import Addresses, card
from cds.facts import read_facts
from cds.fetch import FetchError, complete
from cds.models import CdsCard, CdsClient, CdsFeedback, CdsTokenUse
from cds.rules import evaluate
from cds.schemas import Feedback, HookRequest
from cds.services import Service, prefetch_templates
from cds.tokens import TokenError, verify
from directory.extensions import db


class HookError(ValueError):
    """A call the service cannot answer: `status` is the HTTP status the spec gives it."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _secret_of(iss: str) -> str | None:
    client = db.session.scalar(select(CdsClient).where(CdsClient.iss == iss, CdsClient.active))
    return client.secret if client else None


def authenticate(token: str, audiences: Collection[str], now: datetime) -> CdsClient:
    """The registered client whose JWT this is; TokenError when untrusted or replayed."""
    claims = verify(token, _secret_of, audiences, now)
    client = db.session.scalar(select(CdsClient).where(CdsClient.iss == claims.iss))
    db.session.execute(delete(CdsTokenUse).where(CdsTokenUse.expires_at < now))
    db.session.add(CdsTokenUse(client_id=client.id, jti=claims.jti, expires_at=claims.expires))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise TokenError("the token was already used") from None
    return client


def client_actor(client: CdsClient) -> Actor:
    """The client as the audit trail names it."""
    return Actor(
        kind="cds_client",
        id=client.id,
        role="partner",
        organization_id=None,
        npis=frozenset(),
        plan_ids=frozenset(),
        scopes=frozenset(),
        label=f"cdsclient:{client.id}",
    )


@dataclass(frozen=True)
class CallSettings:
    """Where cards point, today's date, and how long a FHIR fetch may take."""

    addresses: Addresses
    today: date
    fetch_timeout: float


def _prefetch(client: CdsClient, call: HookRequest, timeout: float) -> dict:
    if all(key in call.prefetch for key in prefetch_templates()):
        return call.prefetch  # nothing to fetch: whichever fhirServer is named, none is called
    server = None
    if call.fhir_server and call.access_token:
        if (client.fhir_server or "").rstrip("/") != call.fhir_server.rstrip("/"):
            raise HookError(412, "fhirServer is not the FHIR server registered for this client")
        server = (call.fhir_server, call.access_token)
    try:
        return complete(call.prefetch, prefetch_templates(), call.context, server, timeout)
    except FetchError as error:
        raise HookError(412, str(error)) from None


def call_service(
    client: CdsClient, service: Service, call: HookRequest, settings: CallSettings, now: datetime
) -> list[dict]:
    """The cards for one hook call; each card's uuid recorded, the call audited."""
    if call.hook != service.hook:
        raise HookError(400, f"{service.id} answers {service.hook}, not {call.hook}")
    prefetch = _prefetch(client, call, settings.fetch_timeout)
    facts = read_facts(prefetch, call.context.get("draftOrders"), settings.today)
    context = call.context
    cards = [
        card(finding, context["patientId"], context["userId"], settings.addresses)
        for finding in evaluate(facts)
    ]
    for issued in cards:
        db.session.add(
            CdsCard(uuid=issued["uuid"], service_id=service.id, client_id=client.id, issued_at=now)
        )
    # The hook instance, not the EHR's patient id: the EHR can match it to its own log.
    record(client_actor(client), "cds_hook", "cds_hook_instance", call.hook_instance)
    db.session.commit()
    return cards


def record_feedback(
    client: CdsClient, service: Service, items: list[Feedback], now: datetime
) -> int:
    """Store each outcome for cards this service sent this client; 404 if any card is not."""
    uuids = {item.card for item in items}
    known = set(
        db.session.scalars(
            select(CdsCard.uuid).where(
                CdsCard.uuid.in_(uuids),
                CdsCard.service_id == service.id,
                CdsCard.client_id == client.id,
            )
        )
    )
    unknown = sorted(uuids - known)
    if unknown:
        raise HookError(404, f"unknown card: {', '.join(unknown)}")
    actor = client_actor(client)
    for item in items:
        reason = item.reason or {}
        db.session.add(
            CdsFeedback(
                card_uuid=item.card,
                outcome=item.outcome,
                accepted_suggestions=list(item.accepted),
                override_system=reason.get("system"),
                override_code=reason.get("code"),
                override_display=reason.get("display"),
                outcome_at=item.outcome_at,
                recorded_at=now,
            )
        )
        record(actor, f"cds_{item.outcome}", "cds_card", item.card)
    db.session.commit()
    return len(items)


def register_client(iss: str, fhir_server: str | None, secret: str | None = None) -> CdsClient:
    """Register (or re-key) a CDS client; a new random secret unless one is given. Audited."""
    client = db.session.scalar(select(CdsClient).where(CdsClient.iss == iss))
    if client is None:
        client = CdsClient(iss=iss)
        db.session.add(client)
    client.secret = secret or secrets.token_urlsafe(32)
    client.fhir_server = fhir_server.rstrip("/") if fhir_server else None
    client.active = True
    db.session.flush()
    record(None, "cds_client_registered", "cds_client", client.id)
    db.session.commit()
    return client


def deactivate_client(iss: str) -> bool:
    """Stop trusting a client's tokens; False when no such client. Audited."""
    client = db.session.scalar(select(CdsClient).where(CdsClient.iss == iss))
    if client is None:
        return False
    client.active = False
    record(None, "cds_client_deactivated", "cds_client", client.id)
    db.session.commit()
    return True
