"""CMS Doctors & Clinicians columns, their older names, and the specialties kept (as data)."""

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from directory.taxonomy import DATA_DIR

SOURCE = "cms-dac"
NPI = "NPI"
LAST_NAME = "Provider Last Name"
FIRST_NAME = "Provider First Name"
MIDDLE_NAME = "Provider Middle Name"
SUFFIX = "suff"
GENDER = "gndr"
CREDENTIAL = "Cred"
PRIMARY = "pri_spec"
SECONDARY = ("sec_spec_1", "sec_spec_2", "sec_spec_3", "sec_spec_4")
SECONDARY_ALL = "sec_spec_all"
TELEHEALTH = "Telehlth"
FACILITY = "Facility Name"
GROUP_PAC = "org_pac_id"
LINE1 = "adr_ln_1"
LINE2 = "adr_ln_2"
LINE2_SUPPRESSED = "ln_2_sprs"
CITY = "City/Town"
STATE = "State"
ZIP = "ZIP Code"
PHONE = "Telephone Number"

# Canonical (current) name -> older names; matching ignores case, spaces and punctuation, so
# 'provider_last_name' (the API's spelling) and ' Provider Last Name' need no alias.
ALIASES: dict[str, tuple[str, ...]] = {
    NPI: (),
    "Ind_PAC_ID": (),
    "Ind_enrl_ID": (),
    LAST_NAME: ("lst_nm",),
    FIRST_NAME: ("frst_nm",),
    MIDDLE_NAME: ("mid_nm",),
    SUFFIX: ("suffix",),
    GENDER: ("gender",),
    CREDENTIAL: ("credential", "credentials"),
    "Med_sch": (),
    "Grd_yr": (),
    PRIMARY: ("primary_specialty",),
    **{name: () for name in SECONDARY},
    SECONDARY_ALL: (),
    TELEHEALTH: ("telehealth",),
    FACILITY: ("org_nm", "org_lgl_nm", "facility"),
    GROUP_PAC: (),
    "num_org_mem": (),
    LINE1: (),
    LINE2: (),
    LINE2_SUPPRESSED: (),
    CITY: ("cty", "city"),
    STATE: ("st",),
    ZIP: ("zip",),
    PHONE: ("phn_numbr", "phone"),
    "ind_assgn": (),
    "grp_assgn": (),
    "adrs_id": (),
}
# Without these a row cannot be a clinician at a place; the others are read when present.
REQUIRED = (NPI, LAST_NAME, FIRST_NAME, PRIMARY, LINE1, CITY, STATE, ZIP)

_SPACES = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^(\d)\.(\d+)E\+?(\d+)$", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d)[-_]?(\d\d)[-_]?(\d\d)(?!\d)")
PHONE_DIGITS = 10


@dataclass(frozen=True)
class Specialty:
    """One CMS specialty this directory keeps: its NUCC code and when it counts."""

    code: str
    always: bool  # False: kept only beside a specialty that is always behavioral health


@cache
def specialties() -> dict[str, Specialty]:
    """CMS specialty name (upper case, single spaces) -> Specialty, from the shipped CSV."""
    path = Path(DATA_DIR) / "cms_dac_specialties.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {
            _name(r["cms_specialty"]): Specialty(r["nucc_code"], r["scope"] == "always")
            for r in csv.DictReader(f)
        }


@cache
def _known_names() -> re.Pattern:
    """Finds every kept specialty inside sec_spec_all (names hold commas: no split)."""
    names = sorted(specialties(), key=len, reverse=True)
    return re.compile("|".join(rf"(?<![A-Z]){re.escape(n)}(?![A-Z])" for n in names))


def _name(text: str | None) -> str:
    return _SPACES.sub(" ", (text or "").strip().upper())


def taxonomy_codes(primary: str, secondaries: list[str], every: str = "") -> list[tuple[str, bool]]:
    """(NUCC code, is primary) for a row's kept specialties; [] when it is out of scope."""
    table = specialties()
    named = [(_name(primary), True)] + [(_name(s), False) for s in secondaries]
    named += [(found, False) for found in _known_names().findall(_name(every))]
    kept = [(table[n], is_primary) for n, is_primary in named if n in table]
    if not any(specialty.always for specialty, _ in kept):
        return []  # a nurse practitioner alone is not behavioral health
    if kept[0][1] and not kept[0][0].always:
        kept = kept[:1]  # an NP beside PSYCHIATRY is a psychiatric NP, not a psychiatrist
    codes: list[tuple[str, bool]] = []
    for specialty, is_primary in kept:
        if specialty.code not in (code for code, _ in codes):
            codes.append((specialty.code, is_primary))
    return codes


def raw_specialty_filter() -> re.Pattern:
    """A bytes pattern a raw line must match to hold a kept specialty (case as CMS writes it)."""
    names = sorted({n.split(",")[0].split(" (")[0] for n in specialties()}, key=len, reverse=True)
    spaced = (re.escape(n).replace(r"\ ", r"\s+") for n in names)  # re.escape escapes spaces
    return re.compile("|".join(spaced).encode("ascii"), re.IGNORECASE)


@dataclass(frozen=True)
class PhoneFix:
    """What became of a phone cell: the digits kept (or None) and why, when it changed."""

    digits: str | None
    reason: str | None = None  # None: the cell was a plain 10-digit number


def read_phone(raw: str | None) -> PhoneFix:
    """10 digits from a phone cell, undoing a spreadsheet's scientific notation when exact."""
    text = (raw or "").strip()
    if not text:
        return PhoneFix(None)
    found = _SCIENTIFIC.match(text)
    if found is not None:
        return _scientific_phone(text, found)
    if text.endswith(".0") and text[:-2].isdigit():
        return _digits_phone(text[:-2], "a spreadsheet's decimal '.0' dropped")
    digits = re.sub(r"\D", "", text)
    if digits != text:
        return _digits_phone(digits, "punctuation dropped")
    return _digits_phone(digits, None)


def _digits_phone(digits: str, reason: str | None) -> PhoneFix:
    if len(digits) == PHONE_DIGITS + 1 and digits.startswith("1"):
        return PhoneFix(digits[1:], "the country code 1 dropped")
    if len(digits) != PHONE_DIGITS:
        return PhoneFix(None, f"{len(digits)} digits, not a 10-digit phone number: left out")
    return PhoneFix(digits, reason)


def _scientific_phone(text: str, found: re.Match) -> PhoneFix:
    """6.175550100E+09 -> 6175550100; 6.17555E+09 lost digits, so no number is guessed."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return PhoneFix(None, "not a phone number: left out")
    significant = 1 + len(found.group(2))
    if value != value.to_integral_value() or len(str(int(value))) != PHONE_DIGITS:
        return PhoneFix(None, "scientific notation that is not a 10-digit number: left out")
    if significant < PHONE_DIGITS:
        return PhoneFix(
            None,
            f"scientific notation kept {significant} of 10 digits: the number is lost, left out",
        )
    return PhoneFix(str(int(value)), "scientific notation from a spreadsheet read back exactly")


def observed_on(path: Path) -> datetime | None:
    """The date in a file's name (2025-01-15, 20250115, 2025_01_15) as midnight UTC, or None."""
    found = _DATE_IN_NAME.search(path.name)
    if found is None:
        return None
    try:
        return datetime(*(int(part) for part in found.groups()), tzinfo=UTC)
    except ValueError:
        return None
