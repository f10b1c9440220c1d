"""Cell parsers for plan roster columns; each raises CellFault with the reason a row is rejected."""

import math
import re
from datetime import date

from directory.geography import valid_coordinates, zip5
from directory.taxonomy import nucc
from directory.us_states import is_us_state
from directory.vocabulary import (
    COMPETENCY_PROVENANCES,
    GENDERS,
    LANGUAGE_PROFICIENCIES,
    languages,
    normalize_credential,
    unknown_codes,
)

LIST_SEPARATOR = ";"
PLAN_TYPES = {
    t.upper(): t
    for t in (
        "HMO",
        "PPO",
        "POS",
        "EPO",
        "HDHP",
        "Medicaid",
        "Medicare",
        "Medicare Advantage",
        "CHIP",
        "Marketplace",
        "Dual",
    )
}
_GENDER_ALIASES = {"F": "female", "M": "male", "X": "nonbinary", "NB": "nonbinary", "O": "other"}
_YES = {"Y", "YES", "TRUE", "1"}
_NO = {"N", "NO", "FALSE", "0"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PHONE_DIGITS = re.compile(r"\d")


class CellFault(Exception):
    """Why one cell makes its row unusable."""

    def __init__(self, field: str, reason: str, value: str = ""):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.value = value


def split_list(text: str) -> list[str]:
    """'a; b;;c' -> ['a', 'b', 'c']."""
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def identifier(field: str, text: str) -> str:
    """A plan or network id: letters, digits, '.', '_' or '-', at most 64 characters."""
    if not _ID.match(text):
        raise CellFault(field, "must be 1-64 letters, digits, '.', '_' or '-'", text)
    return text


def bounded_text(field: str, text: str, limit: int) -> str:
    """Free text no longer than `limit` characters."""
    if len(text) > limit:
        raise CellFault(field, f"longer than {limit} characters", text)
    return text


def plan_type(text: str) -> str:
    """A product type such as HMO, PPO or Medicaid (case-insensitive)."""
    found = PLAN_TYPES.get(text.upper())
    if found is None:
        raise CellFault(
            "plan_type", f"unknown plan type; use one of {', '.join(PLAN_TYPES.values())}", text
        )
    return found


def yes_no(field: str, text: str) -> bool:
    """Y/N (also yes/no, true/false, 1/0)."""
    upper = text.upper()
    if upper in _YES:
        return True
    if upper in _NO:
        return False
    raise CellFault(field, "must be Y or N", text)


def iso_date(field: str, text: str) -> date:
    """A YYYY-MM-DD calendar date."""
    if not _ISO_DATE.match(text):
        raise CellFault(field, "must be a date written YYYY-MM-DD", text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellFault(field, "is not a calendar date", text) from None


def past_date(field: str, text: str, today: date) -> date:
    """A YYYY-MM-DD date that is not in the future (a verification cannot be)."""
    value = iso_date(field, text)
    if value > today:
        raise CellFault(field, "is in the future", text)
    return value


def whole_number(field: str, text: str, low: int, high: int) -> int:
    """An integer within [low, high]."""
    if not text.isdigit():
        raise CellFault(field, "must be a whole number", text)
    value = int(text)
    if not low <= value <= high:
        raise CellFault(field, f"must be between {low} and {high}", text)
    return value


def state_code(field: str, text: str) -> str:
    """A two-letter USPS state or territory code."""
    upper = text.upper()
    if not is_us_state(upper):
        raise CellFault(field, "is not a US state or territory code", text)
    return upper


def postal_code(text: str) -> str | None:
    """The 5-digit ZIP, or None (blank or not a ZIP: kept, and the repairs report says so)."""
    return zip5(text)


def coordinates(lat_text: str, lon_text: str) -> tuple[float, float] | None:
    """Both lat and lon, or neither; WGS84 degrees."""
    if not lat_text and not lon_text:
        return None
    if not lat_text or not lon_text:
        field = "lat" if not lat_text else "lon"
        raise CellFault(field, "lat and lon go together; one is missing")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise CellFault(
            "lat", "lat and lon must be decimal degrees", f"{lat_text},{lon_text}"
        ) from None
    if not valid_coordinates(lat, lon) or math.isinf(lat) or math.isinf(lon):
        raise CellFault("lat", "lat/lon out of range", f"{lat_text},{lon_text}")
    return lat, lon


def phone(text: str) -> str:
    """A 10-digit North American number (a leading 1 is dropped), as 617-555-0123."""
    digits = "".join(_PHONE_DIGITS.findall(text))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise CellFault("phone", "must be a 10-digit phone number", text)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def gender(text: str) -> str:
    """female | male | nonbinary | other (F/M/X accepted)."""
    value = _GENDER_ALIASES.get(text.upper(), text.lower())
    if value not in GENDERS:
        raise CellFault("gender", f"must be one of {', '.join(GENDERS)} (or F/M/X)", text)
    return value


def credentials(text: str) -> list[str]:
    """Credential codes such as 'LICSW;PhD' (punctuation and case forgiven)."""
    codes = []
    for part in split_list(text):
        code = normalize_credential(part)
        if code is None:
            raise CellFault("credentials", f"unknown credential {part!r}", text)
        if code not in codes:
            codes.append(code)
    return codes


def taxonomy_codes(text: str) -> list[tuple[str, bool]]:
    """NUCC codes, the first one primary."""
    codes = split_list(text)
    if not codes:
        raise CellFault("taxonomy_codes", "is required", text)
    known = nucc()
    for code in codes:
        if code.upper() not in known:
            raise CellFault("taxonomy_codes", f"unknown NUCC taxonomy code {code}", text)
    unique = list(dict.fromkeys(c.upper() for c in codes))
    return [(code, i == 0) for i, code in enumerate(unique)]


def vocabulary_codes(field: str, vocabulary_name: str, text: str) -> list[str]:
    """Codes from a shipped vocabulary (lower case, ';'-separated)."""
    codes = list(dict.fromkeys(c.lower() for c in split_list(text)))
    unknown = unknown_codes(vocabulary_name, codes)
    if unknown:
        raise CellFault(field, f"unknown {vocabulary_name} code(s): {', '.join(unknown)}", text)
    return codes


def _code_with_qualifier(field: str, part: str) -> tuple[str, str | None]:
    code, _, qualifier = part.partition(":")
    code, qualifier = code.strip().lower(), qualifier.strip().lower()
    if not code:
        raise CellFault(field, f"empty code in {part!r}", part)
    return code, qualifier or None


def language_list(text: str) -> list[tuple[str, str | None]]:
    """'es:native;en' -> [('es', 'native'), ('en', None)] (ISO 639-1, optional proficiency)."""
    found: dict[str, str | None] = {}
    for part in split_list(text):
        code, proficiency = _code_with_qualifier("languages", part)
        if code not in languages():
            raise CellFault("languages", f"unknown ISO 639-1 language code {code}", text)
        if proficiency is not None and proficiency not in LANGUAGE_PROFICIENCIES:
            raise CellFault(
                "languages",
                f"unknown proficiency {proficiency}; use {', '.join(LANGUAGE_PROFICIENCIES)}",
                text,
            )
        found.setdefault(code, proficiency)
    return list(found.items())


def competency_list(text: str) -> list[tuple[str, str]]:
    """'lgbtq_affirming:trained;trauma_informed' (provenance defaults to self_reported)."""
    found: dict[str, str] = {}
    for part in split_list(text):
        code, provenance = _code_with_qualifier("competencies", part)
        if unknown_codes("competencies", [code]):
            raise CellFault("competencies", f"unknown competencies code {code}", text)
        provenance = provenance or "self_reported"
        if provenance not in COMPETENCY_PROVENANCES:
            raise CellFault(
                "competencies",
                f"unknown provenance {provenance}; use {', '.join(COMPETENCY_PROVENANCES)}",
                text,
            )
        found.setdefault(code, provenance)
    return list(found.items())


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLOT = re.compile(r"^([a-z,\-]+)\s+([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d)$")


def _days(spec: str) -> list[str]:
    """'mon-fri' or 'mon,wed,sat' -> day codes in week order."""
    days: set[str] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(part)
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise ValueError(part)
        days.update(DAYS[start : end + 1])
    return [d for d in DAYS if d in days]


def opening_hours(text: str) -> list[dict]:
    """'mon-fri 08:00-20:00;sat 09:00-13:00' -> [{"days": [...], "opens": ..., "closes": ...}]."""
    slots = []
    for part in split_list(text.lower()):
        found = _SLOT.match(part)
        try:
            if not found or found.group(2) >= found.group(3) or found.group(3) > "24:00":
                raise ValueError(part)
            days = _days(found.group(1))
        except ValueError:
            raise CellFault(
                "hours",
                f"cannot read {part!r}; write e.g. 'mon-fri 08:00-20:00;sat 09:00-13:00'",
                text,
            ) from None
        slots.append({"days": days, "opens": found.group(2), "closes": found.group(3)})
    return slots
