"""A Plan-Net Practitioner's own facts: NPI, name, credentials, taxonomies, licenses, languages."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from directory.npi import npi_error
from directory.plan_net_codes import PROFICIENCY_BY_LEVEL
from directory.taxonomy import nucc
from directory.vocabulary import languages, normalize_credential
from ingest.fhir_elements import (
    BCP47_SYSTEMS,
    DEGREE_SYSTEM,
    NPI_SYSTEMS,
    NUCC_SYSTEMS,
    ResourceFault,
    bounded,
    codes,
    extension,
    extensions,
    fhir_date,
    first_code,
    identifier,
    last_updated,
)
from ingest.fhir_index import Indexed

GENDERS = {"female": "female", "male": "male", "other": "other"}
# QualificationStatusCS codes under which a license is not valid for care.
INVALID_QUALIFICATION = {"inactive", "issiner", "revoked"}
_STATE = re.compile(r"^[A-Z]{2}$")

License = tuple[str, str | None, str, date | None]


@dataclass
class PractitionerFacts:
    """What a Practitioner resource says about the person, before their roles are added."""

    npi: str
    last_name: str
    first_name: str | None
    middle_name: str | None
    name_prefix: str | None
    name_suffix: str | None
    gender: str | None
    credentials: list[str]
    licenses: list[License]
    languages: list[tuple[str, str | None]]
    verified_at: datetime | None


def nucc_codes(concepts: list, field: str) -> list[str]:
    """NUCC codes of CodeableConcepts, refusing codes the NUCC table does not define."""
    found: list[str] = []
    for concept in concepts:
        for code in codes(concept, NUCC_SYSTEMS):
            if code not in nucc():
                raise ResourceFault(field, f"unknown NUCC taxonomy code {code}", code)
            if code not in found:
                found.append(code)
    return found


def qualification_taxonomies(practitioner: Indexed) -> list[str]:
    """NUCC codes of Practitioner.qualification.code, in order."""
    qualifications = practitioner.resource.get("qualification") or []
    return nucc_codes([q.get("code") for q in qualifications], "Practitioner.qualification.code")


def practitioner_facts(practitioner: Indexed) -> PractitionerFacts:
    """NPI and the person's facts; faults name the FHIR path."""
    resource = practitioner.resource
    npi = identifier(resource, NPI_SYSTEMS)
    problem = npi_error(npi)
    if problem:
        raise ResourceFault("Practitioner.identifier", problem, npi or "")
    name = _official_name(resource)
    last = bounded(name.get("family"), 80, "Practitioner.name.family")
    if not last:
        raise ResourceFault("Practitioner.name.family", "family name is missing")
    given = [str(g).strip() for g in name.get("given") or [] if str(g).strip()]
    suffixes = [str(s).strip() for s in name.get("suffix") or [] if str(s).strip()]
    prefixes = [str(p).strip() for p in name.get("prefix") or [] if str(p).strip()]
    plain_suffixes = [s for s in suffixes if normalize_credential(s) is None]
    return PractitionerFacts(
        npi=npi,
        last_name=last,
        first_name=bounded(given[0], 80, "Practitioner.name.given") if given else None,
        middle_name=bounded(" ".join(given[1:]), 80, "Practitioner.name.given"),
        name_prefix=bounded(prefixes[0], 20, "Practitioner.name.prefix") if prefixes else None,
        name_suffix=bounded(" ".join(plain_suffixes), 20, "Practitioner.name.suffix"),
        gender=GENDERS.get(str(resource.get("gender") or "")),
        credentials=credentials(resource, name, suffixes),
        licenses=licenses(resource),
        languages=spoken_languages(resource),
        verified_at=last_updated(resource),
    )


def _official_name(resource: dict) -> dict:
    """The official HumanName, else the first one."""
    names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
    official = [n for n in names if n.get("use") == "official"]
    return (official or names or [{}])[0]


def credentials(resource: dict, name: dict, suffixes: list[str]) -> list[str]:
    """Credential codes from name suffixes, the name text ('Susie Smith, LPC') and degrees."""
    candidates = list(suffixes)
    text = str(name.get("text") or "")
    if "," in text:
        candidates.extend(part.strip() for part in text.split(",")[1:])
    for qualification in resource.get("qualification") or []:
        candidates.extend(codes(qualification.get("code"), DEGREE_SYSTEM))
    found: list[str] = []
    for candidate in candidates:
        code = normalize_credential(candidate)
        if code and code not in found:
            found.append(code)
    return found


def licenses(resource: dict) -> list[License]:
    """State licenses: qualifications valid in a state (practitioner-qualification whereValid)."""
    # The number is the qualification identifier; Plan-Net does not require one, then it is ''.
    found: dict[tuple[str, str], License] = {}
    for qualification in resource.get("qualification") or []:
        ext = extension(qualification, "practitioner-qualification")
        if ext is None:
            continue
        status = extension(ext, "status") or {}
        if status.get("valueCode") in INVALID_QUALIFICATION:
            continue
        number = str(((qualification.get("identifier") or [{}])[0]).get("value") or "").strip()
        kind = _license_type(qualification.get("code"))
        expires = fhir_date((qualification.get("period") or {}).get("end"))
        for where in extensions(ext, "whereValid"):
            for state in codes(where.get("valueCodeableConcept")):
                state = state.upper()
                if not _STATE.match(state):
                    continue
                earlier = found.get((state, number[:40]))
                if earlier is None or (earlier[1] is None and kind is not None):
                    found[(state, number[:40])] = (state, kind, number[:40], expires)
    return list(found.values())


def _license_type(code: dict | None) -> str | None:
    """A degree code (v2-0360) or a credential named in the text, e.g. 'LPC'; None otherwise."""
    for candidate in [*codes(code, DEGREE_SYSTEM), str((code or {}).get("text") or "")]:
        credential = normalize_credential(candidate)
        if credential:
            return credential
    return None


def spoken_languages(resource: dict) -> list[tuple[str, str | None]]:
    """ISO 639-1 languages from Practitioner.communication, with their proficiency."""
    # Level 00 ("no proficiency") is no language to offer care in; BCP 47 tags without an
    # ISO 639-1 language (e.g. 'yue') cannot be stored, so both are left out.
    found: dict[str, str | None] = {}
    for item in resource.get("communication") or []:
        level = _proficiency(item)
        if level == "none":
            continue
        for tag in codes(item, BCP47_SYSTEMS) or codes(item, None)[:1]:
            language = tag.split("-")[0].lower()
            if language in languages() and language not in found:
                found[language] = level
    return list(found.items())


def _proficiency(item: dict) -> str | None:
    """The communication-proficiency level name, 'none' for level 00, None when not given."""
    ext = extension(item, "communication-proficiency")
    code = first_code((ext or {}).get("valueCodeableConcept"), "LanguageProficiencyCS")
    if not code or not code.isdigit():
        return None
    level = int(code) // 10
    return PROFICIENCY_BY_LEVEL.get(level, "none" if level == 0 else None)
