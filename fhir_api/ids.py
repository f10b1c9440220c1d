"""FHIR resource ids for directory rows, and back.

- Practitioner: the NPI. PractitionerRole: "<npi>-L<location row id>" for a place the clinician
  practises at, "<npi>-R" for a clinician without one. HealthcareService: "<npi>-S".
- Location and Organization: the Plan-Net id they were loaded with, else "loc-<row id>" /
  "org-<row id>" (ids that already look like those are not kept, so the two never meet).
- Network (an Organization) and InsurancePlan: the plan or network id, or "n-<digest>" when that
  id is not a valid FHIR id (roster ids may hold "_" or spaces).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# Shared with referral messages (subscription notifications name the requester too).
from directory.fhir_ids import ROW as _ROW
from directory.fhir_ids import VALID_ID, row_id

__all__ = ["VALID_ID", "row_id"]
_ROLE = re.compile(r"^(\d{10})-(?:L(\d{1,10})|R)$")
_SERVICE = re.compile(r"^(\d{10})-S$")


@dataclass(frozen=True)
class RoleKey:
    """A PractitionerRole: the clinician's NPI and the location row id (None: no place)."""

    npi: str
    location_id: int | None


def role_id(npi: str, location_id: int | None) -> str:
    """The PractitionerRole id for a clinician at a location (or at none)."""
    return f"{npi}-R" if location_id is None else f"{npi}-L{location_id}"


def parse_role_id(value: str) -> RoleKey | None:
    """The RoleKey a PractitionerRole id names, or None."""
    found = _ROLE.match(value)
    if not found:
        return None
    return RoleKey(found.group(1), int(found.group(2)) if found.group(2) else None)


def service_id(npi: str) -> str:
    """The HealthcareService id of a clinician's services."""
    return f"{npi}-S"


def parse_service_id(value: str) -> str | None:
    """The NPI a HealthcareService id names, or None."""
    found = _SERVICE.match(value)
    return found.group(1) if found else None


def parse_row_id(prefix: str, value: str) -> tuple[int | None, str | None]:
    """(row id, None) for "<prefix>-<n>", else (None, external id) for a usable id."""
    found = _ROW.match(value)
    if found:
        return (int(found.group(2)), None) if found.group(1) == prefix else (None, None)
    return (None, value) if VALID_ID.match(value) else (None, None)


def network_fhir_id(network_id: str) -> str:
    """The Organization/InsurancePlan id of a plan or network."""
    if VALID_ID.match(network_id) and not network_id.startswith("n-"):
        return network_id
    return "n-" + hashlib.sha256(network_id.encode("utf-8")).hexdigest()[:32]


def is_digest_id(value: str) -> bool:
    """True for an "n-<digest>" id, which only a scan of the network ids can resolve."""
    return value.startswith("n-")
