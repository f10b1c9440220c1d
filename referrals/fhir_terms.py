"""Code systems, security labels and small builders the referral FHIR resources share."""

from __future__ import annotations

import uuid
from datetime import datetime

from directory.models.verification import as_utc

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
STATUS_SYSTEM = "urn:bh-directory:referral-status"
HL7 = "http://terminology.hl7.org/CodeSystem/"
# Bundle.meta extensions (Meta is an Element, so it takes extensions): the §2.32 notice that
# must accompany a Part 2 disclosure, and the fields withheld from this reader.
NOTICE_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:part2-redisclosure-notice"
WITHHELD_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:withheld-field"

# HL7 security labels (DS4P): what the record is, how confidential, and what the reader must do.
PART2_LABELS = (
    {"system": f"{HL7}v3-ActCode", "code": "42CFRPart2", "display": "42 CFR Part2"},
    {"system": f"{HL7}v3-Confidentiality", "code": "R", "display": "restricted"},
    {
        "system": f"{HL7}v3-ActCode",
        "code": "NORDSCLCD",
        "display": "no redisclosure without consent directive",
    },
)
REDACTED_LABEL = {"system": f"{HL7}v3-ObservationValue", "code": "REDACTED", "display": "redacted"}


def security_labels(part2: bool, withheld: bool) -> list[dict]:
    """meta.security for a referral's resources: Part 2 labels, and REDACTED when withheld."""
    labels = [dict(label) for label in PART2_LABELS] if part2 else []
    if withheld:
        labels.append(dict(REDACTED_LABEL))
    return labels


def full_url(referral_id: int, kind: str) -> str:
    """A stable urn:uuid for one resource of one referral."""
    name = f"bh-directory/referral/{referral_id}/{kind}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def concept(system: str, code: str, display: str | None = None) -> dict:
    """A CodeableConcept with one coding."""
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def instant(moment: datetime | None) -> str | None:
    """A FHIR instant in UTC, or None."""
    return as_utc(moment).isoformat() if moment else None
