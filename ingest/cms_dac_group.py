"""One clinician from every CMS Doctors & Clinicians row that names their NPI."""

from dataclasses import dataclass, field
from datetime import datetime

from ingest.addresses import address_key
from ingest.cms_dac_fields import SOURCE
from ingest.nppes_fields import credential_codes
from ingest.records import ClinicianRecord, LocationRecord

_GENDERS = {"M": "male", "F": "female"}
PAC_PREFIX = "cms-pac:"  # Organization.external_id of a Medicare group (its PECOS PAC ID)


@dataclass
class DacRow:
    """What one kept row says, parsed once (stored in the spill as a list, in this order)."""

    last_name: str
    first_name: str | None
    middle_name: str | None
    suffix: str | None
    gender: str | None
    credential: str
    codes: list[tuple[str, bool]]
    telehealth: str  # 'Y', or what else the file says ('' in most rows)
    group_pac: str | None
    facility: str | None
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None  # 5 digits, or None when the file's ZIP could not be read
    phone: str | None

    def as_list(self) -> list:
        """The row as the spill stores it."""
        return list(self.__dict__.values())

    @classmethod
    def from_list(cls, values: list) -> "DacRow":
        """The row back from the spill."""
        row = cls(*values)
        row.codes = [(code, bool(primary)) for code, primary in row.codes]
        return row


@dataclass
class DacGroup:
    """Every kept row of one NPI, merged: the first row names them, every row adds a place."""

    npi: str
    lines: list[int]
    record: ClinicianRecord
    organizations: dict[str, str] = field(default_factory=dict)  # external id -> name


def merge_rows(npi: str, rows: list[tuple[int, DacRow]], observed: datetime | None) -> DacGroup:
    """The clinician record of one NPI's rows (in file order) and the groups they name."""
    first = rows[0][1]
    credentials: list[str] = []
    codes: dict[str, bool] = {}
    places: dict[str, LocationRecord] = {}
    organizations: dict[str, str] = {}
    for _, row in rows:
        for code in credential_codes(row.credential):
            if code not in credentials:
                credentials.append(code)
        for code, primary in row.codes:
            codes[code] = codes.get(code, False) or primary
        org_id = _organization(row, organizations)
        key = address_key(row.line1, row.line2, row.city, row.state, row.postal_code)
        places.setdefault(key, _place(row, org_id))  # one link per address: the first group's
    return DacGroup(
        npi,
        [line for line, _ in rows],
        ClinicianRecord(
            npi=npi,
            last_name=first.last_name,
            source=SOURCE,
            first_name=first.first_name,
            middle_name=first.middle_name,
            name_suffix=first.suffix,
            gender=_GENDERS.get(first.gender or ""),
            credentials=credentials or None,
            taxonomies=list(codes.items()),
            # By address, not file order: a release that lists the rows in another order is
            # the same record (its digest matches, so the clinician is left unchanged).
            locations=[places[key] for key in sorted(places)],
            modalities=_modalities([row for _, row in rows], bool(places)),
            verified_at=observed,
        ),
        organizations,
    )


def _organization(row: DacRow, found: dict[str, str]) -> str | None:
    """The group's Organization external id (noted in `found` with its name), or None."""
    if not row.group_pac:
        return None
    external_id = PAC_PREFIX + row.group_pac
    name = row.facility or f"Medicare group {row.group_pac}"
    found.setdefault(external_id, name)
    return external_id


def _place(row: DacRow, org_id: str | None) -> LocationRecord:
    # This is the one place a DAC location and its phone are set (per-fact provenance hooks here).
    return LocationRecord(
        line1=row.line1,
        line2=row.line2,
        city=row.city,
        state=row.state,
        postal_code=row.postal_code,
        phone=row.phone,
        organization_external_id=org_id,
    )


def _modalities(rows: list[DacRow], has_place: bool) -> list[str] | None:
    """Telehealth 'Y' on any row: video and phone (and in person at their places); else silent."""
    # The one place the telehealth fact is set. A blank (or 'N') flag says only that Medicare
    # saw no telehealth claims, so None keeps what other sources said.
    if any(row.telehealth == "Y" for row in rows):
        return (["in_person"] if has_place else []) + ["video", "phone"]
    return None
