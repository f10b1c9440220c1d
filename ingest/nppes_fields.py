"""NPPES dissemination columns and how one row becomes a ClinicianRecord."""

import re
from datetime import UTC, datetime
from functools import lru_cache

from directory.geography import zip5
from directory.names import person_name
from directory.vocabulary import normalize_credential
from ingest.records import ClinicianRecord, LocationRecord

SOURCE = "nppes"
NPI = "NPI"
ENTITY = "Entity Type Code"
LAST_NAME = "Provider Last Name (Legal Name)"
FIRST_NAME = "Provider First Name"
PRACTICE = "Provider Business Practice Location Address"
LINE1 = "Provider First Line Business Practice Location Address"
LINE2 = "Provider Second Line Business Practice Location Address"
CITY = f"{PRACTICE} City Name"
STATE = f"{PRACTICE} State Name"
POSTAL = f"{PRACTICE} Postal Code"
PHONE = f"{PRACTICE} Telephone Number"
LAST_UPDATE = "Last Update Date"
DEACTIVATED = "NPI Deactivation Date"
REACTIVATED = "NPI Reactivation Date"
SLOTS = range(1, 16)
TAXONOMY = [f"Healthcare Provider Taxonomy Code_{i}" for i in SLOTS]
SWITCH = [f"Healthcare Provider Primary Taxonomy Switch_{i}" for i in SLOTS]
LICENSE = [f"Provider License Number_{i}" for i in SLOTS]
LICENSE_STATE = [f"Provider License Number State Code_{i}" for i in SLOTS]
REQUIRED = (NPI, ENTITY, LAST_NAME, FIRST_NAME, LINE1, LINE2, CITY, STATE, POSTAL)
REQUIRED += (TAXONOMY[0], SWITCH[0])
GENDER = ("Provider Gender Code", "Provider Sex Code")  # newer layouts say "Sex"
CREDENTIAL = "Provider Credential Text"
MIDDLE_NAME = "Provider Middle Name"
PREFIX = "Provider Name Prefix Text"
SUFFIX = "Provider Name Suffix Text"
# Every column this loader reads, of the file's 330: a row is cut down to them once read.
USED = frozenset(
    (*REQUIRED, ENTITY, PHONE, LAST_UPDATE, DEACTIVATED, REACTIVATED, *GENDER, CREDENTIAL)
    + (MIDDLE_NAME, PREFIX, SUFFIX, *TAXONOMY, *SWITCH, *LICENSE, *LICENSE_STATE)
)

_PART_SPLIT = re.compile(r"[,;/]+")
_WORD_SPLIT = re.compile(r"\s+")
_GENDERS = {"M": "male", "F": "female"}
# Credentials that name a license (not a degree), so a bare license number can be typed.
_LICENSE_CREDENTIALS = frozenset(
    {"LICSW", "LCSW", "LMSW", "LMHC", "LPC", "LPCC", "LMFT", "LADC", "MD", "DO", "APRN", "NP", "PA"}
)


@lru_cache(maxsize=4096)
def credential_codes(text: str) -> tuple[str, ...]:
    """'LICSW,CEAP, Ph.D.' -> ('LICSW', 'CEAP', 'PhD'); unknown tokens kept as cleaned text."""
    codes: list[str] = []
    for part in _PART_SPLIT.split(text):
        for code in _part_codes(part):
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def _part_codes(part: str) -> list[str]:
    """'M. D.' is one credential and 'MSW LICSW' two: the part whole, else word by word."""
    whole = normalize_credential(part)
    if whole:
        return [whole]
    words = (w.strip(".,;:()-'\"").upper() for w in _WORD_SPLIT.split(part))
    return [normalize_credential(w) or w for w in words if w]


def license_type(credentials: tuple[str, ...]) -> str | None:
    """The license credential when exactly one is listed, else None (not obvious)."""
    licensed = [c for c in credentials if c in _LICENSE_CREDENTIALS]
    return licensed[0] if len(licensed) == 1 else None


def parse_date(text: str | None) -> datetime | None:
    """NPPES 'MM/DD/YYYY' as midnight UTC; None when blank or malformed."""
    # Sliced by hand: strptime costs ~20 µs a call, and every in-scope row has two dates.
    if not text or len(text) != 10 or text[2] != "/" or text[5] != "/":
        return None
    try:
        return datetime(int(text[6:]), int(text[:2]), int(text[3:5]), tzinfo=UTC)
    except ValueError:
        return None


def is_deactivated(values: dict[str, str]) -> bool:
    """True when the NPI was deactivated and not reactivated since."""
    deactivated = parse_date(values.get(DEACTIVATED))
    if deactivated is None:
        return False
    reactivated = parse_date(values.get(REACTIVATED))
    return reactivated is None or reactivated < deactivated


def taxonomy_slots(values: dict[str, str]) -> list[tuple[int, str]]:
    """(slot index, code) for every filled taxonomy column the file has."""
    slots = []
    for i, column in enumerate(TAXONOMY):
        code = values.get(column)
        if code:
            slots.append((i, code.strip().upper()))
    return slots


def _gender(values: dict[str, str]) -> str | None:
    """M/F from 'Provider Gender Code' (newer layouts call it 'Provider Sex Code')."""
    code = values.get(GENDER[0]) or values.get(GENDER[1]) or ""
    return _GENDERS.get(code.strip().upper())


def _optional(values: dict[str, str], column: str) -> str | None:
    value = values.get(column, "").strip()
    return value or None


def _licenses(values: dict[str, str], slots: list[tuple[int, str]], kind: str | None) -> list:
    """(state, type, number, None) per taxonomy slot with a license (NPPES pairs them)."""
    found = []
    for i, _ in slots:
        number = values.get(LICENSE[i], "").strip()
        state = values.get(LICENSE_STATE[i], "").strip().upper()
        if number and len(state) == 2:
            found.append((state, kind, number, None))
    return found


def to_record(values: dict[str, str], slots: list[tuple[int, str]]) -> ClinicianRecord:
    """The ClinicianRecord for a validated, in-scope NPPES row and its taxonomy slots."""
    credentials = credential_codes(values.get(CREDENTIAL, ""))
    taxonomies = [(code, values.get(SWITCH[i], "").strip().upper() == "Y") for i, code in slots]
    place = LocationRecord(
        line1=_optional(values, LINE1),
        line2=_optional(values, LINE2),
        city=_optional(values, CITY),
        state=_optional(values, STATE),
        postal_code=zip5(values.get(POSTAL)),
        phone=_optional(values, PHONE),
    )
    return ClinicianRecord(
        npi=values[NPI].strip(),
        last_name=person_name(values[LAST_NAME].strip()),
        source=SOURCE,
        first_name=person_name(_optional(values, FIRST_NAME)),
        middle_name=person_name(_optional(values, MIDDLE_NAME)),
        name_prefix=person_name(_optional(values, PREFIX)),
        name_suffix=person_name(_optional(values, SUFFIX)),
        gender=_gender(values),
        credentials=list(credentials),
        taxonomies=taxonomies,
        licenses=_licenses(values, slots, license_type(credentials)),
        locations=[place],
        verified_at=parse_date(values.get(LAST_UPDATE)),
    )
