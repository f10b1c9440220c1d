"""GET /fhir/metadata: the CapabilityStatement (read and search per type, with parameters)."""

from __future__ import annotations

from flask import current_app

from fhir_api.bundles import base_url
from fhir_api.codes import PROFILES, STRUCTURE
from fhir_api.kinds import KINDS
from fhir_api.referral_params import PARAMS as REFERRAL_PARAMS
from referrals.fhir_bser import REQUEST_PROFILE, TASK_PROFILE
from referrals.fhir_subscription import SUBSCRIPTION_PROFILE, TOPIC_EXTENSION, topic_url

PLAN_NET_CAPABILITY = "http://hl7.org/fhir/us/davinci-pdex-plan-net/CapabilityStatement/plan-net"
SOFTWARE = "bh-directory"


def _resource(kind) -> dict:
    params = []
    for param in kind.params.values():
        entry = {"name": param.name, "type": param.type, "documentation": param.documentation}
        if param.definition:
            entry["definition"] = param.definition
        params.append(entry)
    found = {
        "type": kind.name,
        "profile": PROFILES[kind.name],
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "searchParam": params,
    }
    if kind.name == "Organization":
        found["supportedProfile"] = [STRUCTURE + "plannet-Network"]
    if kind.includes:
        found["searchInclude"] = sorted(kind.includes)
    return found


REFERRAL_PROFILES = {"Task": TASK_PROFILE, "ServiceRequest": REQUEST_PROFILE}
BSER_MESSAGE = "urn:bh-directory:fhir:MessageDefinition:bser-referral"
PROCESS_MESSAGE = "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message"


def _referral_resource(name: str) -> dict:
    """Task or ServiceRequest: read and search for API-key holders, as the referral rules allow."""
    params = [
        {"name": p.name, "type": p.type, "documentation": p.documentation}
        | {"definition": p.definition}
        for p in REFERRAL_PARAMS[name].values()
    ]
    found = {
        "type": name,
        "supportedProfile": [REFERRAL_PROFILES[name]],
        "documentation": "Referrals the caller sent or received (Bearer API key with "
        "referrals:read); every read audited.",
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "searchParam": params,
    }
    if name == "Task":
        found["operation"] = [
            {"name": "feedback", "definition": "urn:bh-directory:fhir:OperationDefinition:feedback"}
        ]
    return found


def _messaging() -> dict:
    return {
        "documentation": "BSeR referral messages in (POST /fhir/$process-message, Bearer API "
        "key with referrals:write); feedback out from GET /fhir/Task/<id>/$feedback.",
        "supportedMessage": [{"mode": "receiver", "definition": BSER_MESSAGE}],
    }


def _subscription_resource() -> dict:
    """Subscriptions (R4 Backport) to the referral Task topic, for keys with subscriptions:write."""
    return {
        "extension": [{"url": TOPIC_EXTENSION, "valueCanonical": topic_url(base_url())}],
        "type": "Subscription",
        "supportedProfile": [SUBSCRIPTION_PROFILE],
        "documentation": "rest-hook (HMAC-signed, handshake on create) or email; payload "
        "empty, id-only or full-resource; optional backport-heartbeat-period; "
        "GET /fhir/Subscription/<id>/$status and $events. Bearer API key with "
        "subscriptions:write and referrals:read.",
        "interaction": [
            {"code": "create"},
            {"code": "read"},
            {"code": "delete"},
            {"code": "search-type"},
        ],
        "operation": [
            {
                "name": "status",
                "definition": "http://hl7.org/fhir/uv/subscriptions-backport/"
                "OperationDefinition/backport-subscription-status",
            },
            {
                "name": "events",
                "definition": "http://hl7.org/fhir/uv/subscriptions-backport/"
                "OperationDefinition/backport-subscription-events",
            },
        ],
    }


def capability_statement() -> dict:
    """What this server does: Plan-Net reads and searches, BSeR referral messages, JSON only."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": current_app.config.get("FHIR_CAPABILITY_DATE", "2025-01-01"),
        "publisher": SOFTWARE,
        "kind": "instance",
        "software": {"name": SOFTWARE},
        "implementation": {
            "description": "Behavioral-health provider directory",
            "url": base_url(),
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "instantiates": [PLAN_NET_CAPABILITY],
        "rest": [
            {
                "mode": "server",
                "documentation": "Public directory data; no authentication, rate-limited per "
                "client. Paging with _count and _offset; _lastUpdated on every type.",
                "resource": [_resource(kind) for kind in KINDS.values()]
                + [_referral_resource(name) for name in REFERRAL_PROFILES]
                + [_subscription_resource()],
                "operation": [{"name": "process-message", "definition": PROCESS_MESSAGE}],
            }
        ],
        "messaging": [_messaging()],
    }
