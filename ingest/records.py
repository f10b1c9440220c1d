"""The clinician record every loader produces, and its content digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from operator import attrgetter

from directory.cost import Cost
from directory.geography import Placement


def pickled_by_arguments(cls: type) -> type:
    """Pickle a dataclass as its constructor's arguments, in field order."""
    # Unpickled by one call instead of a state dict set key by key: half the time, 18% fewer
    # bytes for the NPPES records the reading process sends the loading one (read_ahead).
    arguments = attrgetter(*(f.name for f in fields(cls)))

    def reduce(self):
        return cls, arguments(self)

    cls.__reduce__ = reduce
    return cls


@pickled_by_arguments
@dataclass
class LocationRecord:
    """A place where the clinician practises, as a source describes it."""

    line1: str | None
    city: str | None
    state: str | None
    postal_code: str | None  # 5-digit
    line2: str | None = None
    lat: float | None = None  # filled from the ZIP centroid when absent
    lon: float | None = None
    phone: str | None = None
    name: str | None = None
    external_id: str | None = None  # e.g. Plan-Net Location id; else matched by address key
    organization_external_id: str | None = None
    accessibility: list[str] | None = None
    hours: list[dict] | None = None  # [{"days": ["mon"], "opens": "08:00", "closes": "20:00"}]
    accepting_new_patients: bool | None = None  # per-location override (ClinicianLocation)
    link_external_id: str | None = None  # e.g. PractitionerRole id on the ClinicianLocation
    # locations.address_key of the address fields, when whoever made the record worked it out
    # already (the NPPES reading process does); out of the repr and the comparison.
    address_digest: str | None = field(default=None, repr=False, compare=False)
    # directory.geography.place_zip of the address fields, when whoever made the record
    # worked it out already (the NPPES reading process does); out of the repr and comparison.
    placed: Placement | None = field(default=None, repr=False, compare=False)


@pickled_by_arguments
@dataclass
class ClinicianRecord:
    """What one source says about one clinician; None means the source says nothing."""

    npi: str
    last_name: str
    source: str  # "nppes", "plan-net", "roster:<plan id>", "demo"
    source_ref: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    name_prefix: str | None = None
    name_suffix: str | None = None
    gender: str | None = None
    pronouns: str | None = None
    credentials: list[str] | None = None
    taxonomies: list[tuple[str, bool]] | None = None  # (NUCC code, is_primary)
    licenses: list[tuple[str, str | None, str, date | None]] | None = None  # state,type,no,exp
    languages: list[tuple[str, str | None]] | None = None  # (ISO 639-1, proficiency)
    competencies: list[tuple[str, str]] | None = None  # (code, provenance)
    conditions_treated: list[str] | None = None
    conditions_not_treated: list[str] | None = None
    approaches: list[str] | None = None
    age_groups: list[str] | None = None
    modalities: list[str] | None = None
    accepting_new_patients: bool | None = None
    next_available_on: date | None = None
    wait_days: int | None = None
    referral_capacity: int | None = None
    locations: list[LocationRecord] | None = None  # replaces this source's location links
    networks: list[tuple[str, int | None]] | None = None  # (network id, index into locations)
    verified_at: datetime | None = None
    cost: Cost | None = None  # None: the source says nothing about cost (kept as it is)
    # record_digest(self), when whoever made the record worked it out already (the NPPES
    # reading process does); out of the repr, so a digest never covers itself.
    content_digest: str | None = field(default=None, repr=False, compare=False)


# Optional scalars: None leaves the stored value alone (another source may have said more).
SCALARS = (
    "first_name",
    "middle_name",
    "name_prefix",
    "name_suffix",
    "gender",
    "pronouns",
    "source_ref",
    "accepting_new_patients",
    "next_available_on",
    "wait_days",
    "referral_capacity",
)
LISTS = (
    "credentials",
    "conditions_treated",
    "conditions_not_treated",
    "approaches",
    "age_groups",
    "modalities",
)


def record_digest(record: ClinicianRecord) -> str:
    """The content digest of a record."""
    # The dataclass repr holds every field, nested records too, and is ~10x faster than JSON.
    return hashlib.sha256(repr(record).encode("utf-8")).hexdigest()
