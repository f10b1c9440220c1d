"""A clinician as a Plan-Net Practitioner: NPI, name, taxonomies, licenses, languages.

The inverse of ingest/plan_net_practitioners.py: credentials go out as name suffixes (which
the loader reads back as credentials), taxonomies and state licenses as qualifications,
languages as communication with their proficiency level.
"""

from __future__ import annotations

from directory.models import Clinician
from directory.taxonomy import nucc
from directory.vocabulary import languages
from fhir_api.codes import (
    BCP47_SYSTEM,
    COMMUNICATION_PROFICIENCY,
    NPI_SYSTEM,
    NUCC_SYSTEM,
    PRACTITIONER_QUALIFICATION,
    PROFICIENCY_CODES,
    USPS_SYSTEM,
    concept,
    meta,
    plan_net_concept,
)
from fhir_api.times import instant

GENDERS = {"female": "female", "male": "male", "nonbinary": "other", "other": "other"}


def taxonomy_concept(code: str) -> dict:
    """A NUCC taxonomy CodeableConcept with its display name."""
    found = nucc().get(code)
    return concept(NUCC_SYSTEM, code, found.display_name if found else None)


def ordered_codes(clinician: Clinician) -> list[str]:
    """Taxonomy codes, primary first (the loader takes the first BH code as primary)."""
    rows = sorted(clinician.taxonomies, key=lambda t: (not t.is_primary, t.code))
    return [row.code for row in rows]


def human_name(clinician: Clinician) -> dict:
    """The official HumanName; credentials follow any plain suffix."""
    given = [clinician.first_name] if clinician.first_name else []
    if clinician.middle_name:
        given += clinician.middle_name.split()
    suffix = [clinician.name_suffix] if clinician.name_suffix else []
    name = {
        "use": "official",
        "text": clinician.display_name,
        "family": clinician.last_name,
        "given": given,
        "prefix": [clinician.name_prefix] if clinician.name_prefix else [],
        "suffix": suffix + list(clinician.credentials or []),
    }
    return {key: value for key, value in name.items() if value}


def license_qualification(license_) -> dict:
    """A state license: practitioner-qualification with whereValid the state."""
    qualification = {
        "extension": [
            {
                "url": PRACTITIONER_QUALIFICATION,
                "extension": [
                    {"url": "status", "valueCode": "active"},
                    {
                        "url": "whereValid",
                        "valueCodeableConcept": concept(USPS_SYSTEM, license_.state),
                    },
                ],
            }
        ],
        "code": {"text": license_.license_type or "State license"},
    }
    if license_.number:
        qualification["identifier"] = [{"value": license_.number}]
    if license_.expires_on:
        qualification["period"] = {"end": license_.expires_on.isoformat()}
    return qualification


def communication(language) -> dict:
    """A language the clinician offers care in, with its proficiency when known."""
    found = languages().get(language.code)
    item = concept(BCP47_SYSTEM, language.code, found.label if found else None)
    level = PROFICIENCY_CODES.get(language.proficiency or "")
    if level:
        item["extension"] = [
            {
                "url": COMMUNICATION_PROFICIENCY,
                "valueCodeableConcept": plan_net_concept("LanguageProficiencyCS", level),
            }
        ]
    return item


def practitioner(clinician: Clinician) -> dict:
    """The Plan-Net Practitioner for a clinician."""
    resource = {
        "resourceType": "Practitioner",
        "id": clinician.npi,
        "meta": meta("Practitioner", instant(clinician.updated_at)),
        "identifier": [{"system": NPI_SYSTEM, "value": clinician.npi}],
        "active": bool(clinician.active),
        "name": [human_name(clinician)],
        "qualification": [{"code": taxonomy_concept(code)} for code in ordered_codes(clinician)]
        + [
            license_qualification(lic)
            for lic in sorted(clinician.licenses, key=lambda x: (x.state, x.number))
        ],
        "communication": [communication(lang) for lang in clinician.languages],
    }
    gender = GENDERS.get(clinician.gender or "")
    if gender:
        resource["gender"] = gender
    return {key: value for key, value in resource.items() if value != []}
