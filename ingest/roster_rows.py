"""One plan-roster CSV row: its columns, and the checked values it carries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from directory.geography import ZipRepair, repair_zip
from directory.npi import npi_error
from ingest import roster_fields as cells
from ingest.addresses import address_key, hours_flags
from ingest.placement import placement_note
from ingest.records import LocationRecord
from ingest.roster_fields import CellFault

REQUIRED_COLUMNS = (
    "plan_id",
    "plan_name",
    "npi",
    "first_name",
    "last_name",
    "taxonomy_codes",
    "address_line1",
    "city",
    "state",
    "zip",
)
# The roster's source is "roster:<plan id>" and Clinician.source holds 40 characters.
PLAN_ID_MAX = 33
VERIFICATION_METHODS = ("attestation", "portal", "phone", "email", "credentialing", "claims")


def _text(limit: int, column: str, text: str) -> str:
    return cells.bounded_text(column, text, limit)


def _vocab(vocabulary_name: str, column: str, text: str) -> list[str]:
    return cells.vocabulary_codes(column, vocabulary_name, text)


# Clinician-level columns: column -> (ClinicianRecord field, parser(column, text)).
CLINICIAN_COLUMNS: dict[str, tuple[str, Callable]] = {
    "first_name": ("first_name", partial(_text, 80)),
    "middle_name": ("middle_name", partial(_text, 80)),
    "last_name": ("last_name", partial(_text, 80)),
    "credentials": ("credentials", lambda _c, t: cells.credentials(t)),
    "gender": ("gender", lambda _c, t: cells.gender(t)),
    "pronouns": ("pronouns", partial(_text, 40)),
    "taxonomy_codes": ("taxonomies", lambda _c, t: cells.taxonomy_codes(t)),
    "languages": ("languages", lambda _c, t: cells.language_list(t)),
    "concerns": ("conditions_treated", partial(_vocab, "concerns")),
    "concerns_not_treated": ("conditions_not_treated", partial(_vocab, "concerns")),
    "approaches": ("approaches", partial(_vocab, "approaches")),
    "age_groups": ("age_groups", partial(_vocab, "age_groups")),
    "competencies": ("competencies", lambda _c, t: cells.competency_list(t)),
    "modalities": ("modalities", partial(_vocab, "modalities")),
    "next_available": ("next_available_on", cells.iso_date),
    "wait_days": ("wait_days", partial(cells.whole_number, low=0, high=365)),
    "referral_capacity": ("referral_capacity", partial(cells.whole_number, low=0, high=500)),
}
OPTIONAL_COLUMNS = (
    "plan_type",
    "payer",
    "provider_id",
    "network_id",
    "network_name",
    *(c for c in CLINICIAN_COLUMNS if c not in REQUIRED_COLUMNS),
    "license_state",
    "license_type",
    "license_number",
    "license_expires",
    "accepting_new_patients",
    "location_name",
    "address_line2",
    "lat",
    "lon",
    "phone",
    "wheelchair_accessible",
    "hours",
    "evening_hours",
    "weekend_hours",
    "last_verified",
    "verification_source",
)


@dataclass(frozen=True)
class PlanRef:
    """The plan (and optionally the network serving it) a row lists the clinician in."""

    plan_id: str
    plan_name: str
    plan_type: str | None = None
    payer: str | None = None
    network_id: str | None = None
    network_name: str | None = None

    @property
    def participation_id(self) -> str:
        """Where the participation is recorded: the network when the row names one."""
        return self.network_id or self.plan_id


@dataclass
class RosterRow:
    """The checked content of one row."""

    line: int
    npi: str
    plan: PlanRef
    facts: dict[str, object]  # ClinicianRecord field -> value, only for non-empty cells
    location: LocationRecord
    address: str  # address key: the row's place, across plans
    license: tuple[str, str | None, str, date | None] | None = None
    provider_id: str | None = None  # the plan's own id for the clinician
    # (evening, weekend) given as Y/N without an hours column to derive them from.
    hour_flags: tuple[bool | None, bool | None] = (None, None)
    verified_on: date | None = None
    verification_method: str | None = None
    repairs: list[tuple[str, ZipRepair]] = field(default_factory=list)  # (column, repair)


def parse_row(line: int, values: dict[str, str], today: date) -> RosterRow:
    """Check every cell of a row; raises CellFault for the first bad one, in column order."""
    cell = {k: (v or "").strip() for k, v in values.items()}
    for column in REQUIRED_COLUMNS:
        # A ZIP is the one required column a row is kept without: an address never drops a listing.
        if column != "zip" and not cell.get(column):
            raise CellFault(column, "is required")
    plan = _plan(cell)
    repair = repair_zip(cell["zip"])
    if repair is not None:
        cell["zip"] = repair.after
    problem = npi_error(cell["npi"])
    if problem:
        raise CellFault("npi", problem, cell["npi"])
    facts = _facts(cell)
    location, flags = _location(cell)
    notes = [("zip", repair)] if repair else []
    if location.lat is None:
        note = placement_note(cell["zip"], location.city, location.state)
        if note is not None:
            notes.append(("zip", note))
    verified = cell.get("last_verified")
    return RosterRow(
        line=line,
        npi=cell["npi"],
        plan=plan,
        facts=facts,
        location=location,
        address=address_key(
            location.line1, location.line2, location.city, location.state, location.postal_code
        ),
        license=_license(cell),
        provider_id=cells.bounded_text("provider_id", cell.get("provider_id", ""), 120) or None,
        hour_flags=flags,
        verified_on=cells.past_date("last_verified", verified, today) if verified else None,
        verification_method=_method(cell.get("verification_source", "")),
        repairs=notes,
    )


def _plan(cell: dict[str, str]) -> PlanRef:
    plan_id = cells.identifier("plan_id", cell["plan_id"])
    if len(plan_id) > PLAN_ID_MAX:
        raise CellFault("plan_id", f"longer than {PLAN_ID_MAX} characters", plan_id)
    network_id = cell.get("network_id") or None
    return PlanRef(
        plan_id=plan_id,
        plan_name=cells.bounded_text("plan_name", cell["plan_name"], 200),
        plan_type=cells.plan_type(cell["plan_type"]) if cell.get("plan_type") else None,
        payer=cells.bounded_text("payer", cell["payer"], 200) if cell.get("payer") else None,
        network_id=cells.identifier("network_id", network_id) if network_id else None,
        network_name=(
            cells.bounded_text("network_name", cell["network_name"], 200)
            if cell.get("network_name")
            else None
        ),
    )


def _facts(cell: dict[str, str]) -> dict[str, object]:
    facts: dict[str, object] = {}
    for column, (name, parse) in CLINICIAN_COLUMNS.items():
        if cell.get(column):
            facts[name] = parse(column, cell[column])
    both = set(facts.get("conditions_treated", [])) & set(facts.get("conditions_not_treated", []))
    if both:
        raise CellFault(
            "concerns_not_treated",
            f"also listed as treated: {', '.join(sorted(both))}",
            cell["concerns_not_treated"],
        )
    return facts


def _license(cell: dict[str, str]) -> tuple[str, str | None, str, date | None] | None:
    state, number = cell.get("license_state", ""), cell.get("license_number", "")
    kind, expires = cell.get("license_type", ""), cell.get("license_expires", "")
    if not (state or number or kind or expires):
        return None
    if not state:
        raise CellFault("license_state", "is required with any other license column")
    if not number:
        raise CellFault("license_number", "is required with any other license column")
    return (
        cells.state_code("license_state", state),
        cells.bounded_text("license_type", kind, 20) if kind else None,
        cells.bounded_text("license_number", number, 40),
        cells.iso_date("license_expires", expires) if expires else None,
    )


def _location(cell: dict[str, str]) -> tuple[LocationRecord, tuple[bool | None, bool | None]]:
    point = cells.coordinates(cell.get("lat", ""), cell.get("lon", ""))
    location = LocationRecord(
        line1=cells.bounded_text("address_line1", cell["address_line1"], 200),
        city=cells.bounded_text("city", cell["city"], 100),
        state=cells.state_code("state", cell["state"]),
        postal_code=cells.postal_code(cell["zip"]),
        line2=cells.bounded_text("address_line2", cell.get("address_line2", ""), 200) or None,
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        phone=cells.phone(cell["phone"]) if cell.get("phone") else None,
        name=cells.bounded_text("location_name", cell.get("location_name", ""), 200) or None,
        accessibility=_accessibility(cell.get("wheelchair_accessible", "")),
        hours=cells.opening_hours(cell["hours"]) if cell.get("hours") else None,
        accepting_new_patients=_flag(cell, "accepting_new_patients"),
    )
    flags = (_flag(cell, "evening_hours"), _flag(cell, "weekend_hours"))
    if location.hours is None:
        return location, flags
    derived = hours_flags(location.hours)
    for column, given, found in zip(
        ("evening_hours", "weekend_hours"), flags, derived, strict=True
    ):
        if given is not None and given != found:
            raise CellFault(
                column, f"says {'Y' if given else 'N'} but the hours column disagrees", cell[column]
            )
    return location, (None, None)


def _flag(cell: dict[str, str], column: str) -> bool | None:
    text = cell.get(column, "")
    return cells.yes_no(column, text) if text else None


def _accessibility(text: str) -> list[str] | None:
    if not text:
        return None
    return ["wheelchair"] if cells.yes_no("wheelchair_accessible", text) else []


def _method(text: str) -> str | None:
    if not text:
        return None
    method = text.lower()
    if method not in VERIFICATION_METHODS:
        raise CellFault(
            "verification_source", f"use one of {', '.join(VERIFICATION_METHODS)}", text
        )
    return method
