"""GET /fhir/metadata: the CapabilityStatement (read and search per type, with parameters)."""

from __future__ import annotations

from flask import current_app

from fhir_api.bundles import base_url
from fhir_api.codes import PROFILES, STRUCTURE
from fhir_api.kinds import KINDS

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


def capability_statement() -> dict:
    """What this server does: Plan-Net reads and searches, JSON only, no writes."""
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
                "resource": [_resource(kind) for kind in KINDS.values()],
            }
        ],
    }
