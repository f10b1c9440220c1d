"""The rows of one NPI merged into clinician records, one per plan the clinician is listed in."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from ingest.records import ClinicianRecord, LocationRecord
from ingest.roster_fields import CellFault
from ingest.roster_rows import CLINICIAN_COLUMNS, RosterRow

# Facts a clinician has one of: two rows that disagree cannot both be right.
SCALARS = (
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "pronouns",
    "next_available_on",
    "wait_days",
    "referral_capacity",
)
# Facts that are sets: rows add to them (in first-seen order, so digests are stable).
UNIONS = (
    "credentials",
    "taxonomies",
    "languages",
    "competencies",
    "conditions_treated",
    "conditions_not_treated",
    "approaches",
    "age_groups",
    "modalities",
)
# Keyed lists: the first entry for a code wins (a primary taxonomy, a language's proficiency).
_KEYED = {"taxonomies", "languages", "competencies"}
_COLUMN_OF = {name: column for column, (name, _) in CLINICIAN_COLUMNS.items()}
# Location fields rows at the same address must agree on, with their roster column.
_PLACE_FIELDS = {
    "name": "location_name",
    "phone": "phone",
    "accessibility": "wheelchair_accessible",
    "hours": "hours",
    "accepting_new_patients": "accepting_new_patients",
    "lat": "lat",
    "lon": "lat",
}


@dataclass
class PlanListing:
    """What the rows of one plan say: where the clinician practises in it."""

    plan_id: str
    locations: list[LocationRecord] = field(default_factory=list)
    networks: list[tuple[str, int | None]] = field(default_factory=list)
    verified_on: date | None = None
    method: str | None = None
    provider_id: str | None = None
    provider_id_line: int = 0


@dataclass
class NpiGroup:
    """Consecutive roster rows for one NPI, merged as they arrive."""

    npi: str
    first_line: int
    scalars: dict[str, tuple[object, int]] = field(default_factory=dict)
    unions: dict[str, list] = field(default_factory=dict)
    licenses: dict[tuple[str, str], tuple[tuple, int]] = field(default_factory=dict)
    places: dict[str, tuple[LocationRecord, int]] = field(default_factory=dict)
    hour_flags: dict[str, tuple[bool | None, bool | None]] = field(default_factory=dict)
    listings: dict[str, PlanListing] = field(default_factory=dict)
    listed_at: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, row: RosterRow) -> None:
        """Merge a row, or raise CellFault (and merge nothing) when it contradicts earlier rows."""
        self._check(row)
        for name, value in row.facts.items():
            if name in UNIONS:
                self._union(name, value)
            else:
                self.scalars.setdefault(name, (value, row.line))
        if row.license is not None:
            self.licenses.setdefault((row.license[0], row.license[2]), (row.license, row.line))
        self._place(row)
        self._list(row)

    def _check(self, row: RosterRow) -> None:
        seen = self.listed_at.get((row.plan.plan_id, row.address))
        if seen is not None:
            raise CellFault("(row)", f"duplicate of line {seen}: same NPI, plan and address")
        for name in SCALARS:
            if name in row.facts and name in self.scalars:
                value, line = self.scalars[name]
                if value != row.facts[name]:
                    column = _COLUMN_OF[name]
                    raise CellFault(
                        column, f"differs from line {line} for the same NPI", str(row.facts[name])
                    )
        self._check_license(row)
        self._check_provider_id(row)
        self._check_place(row)
        self._check_concerns(row)

    def _check_license(self, row: RosterRow) -> None:
        if row.license is None:
            return
        found = self.licenses.get((row.license[0], row.license[2]))
        if found is not None and found[0] != row.license:
            raise CellFault(
                "license_number",
                f"same license as line {found[1]} with another type or expiry",
                row.license[2],
            )

    def _check_provider_id(self, row: RosterRow) -> None:
        listing = self.listings.get(row.plan.plan_id)
        if listing and listing.provider_id and row.provider_id not in (None, listing.provider_id):
            line = listing.provider_id_line
            raise CellFault(
                "provider_id", f"differs from line {line} in the same plan", row.provider_id
            )

    def _check_place(self, row: RosterRow) -> None:
        found = self.places.get(row.address)
        if found is None:
            return
        place, line = found
        for name, column in _PLACE_FIELDS.items():
            mine, theirs = getattr(row.location, name), getattr(place, name)
            if mine is not None and theirs is not None and mine != theirs:
                raise CellFault(column, f"differs from line {line} at the same address", str(mine))
        for column, mine, theirs in zip(
            ("evening_hours", "weekend_hours"),
            row.hour_flags,
            self.hour_flags[row.address],
            strict=True,
        ):
            if mine is not None and theirs is not None and mine != theirs:
                raise CellFault(column, f"differs from line {line} at the same address", str(mine))

    def _check_concerns(self, row: RosterRow) -> None:
        treated = set(self.unions.get("conditions_treated", [])) | set(
            row.facts.get("conditions_treated", [])
        )
        refused = set(self.unions.get("conditions_not_treated", [])) | set(
            row.facts.get("conditions_not_treated", [])
        )
        both = ", ".join(sorted(treated & refused))
        if both:
            raise CellFault("concerns_not_treated", f"treated in another row of this NPI: {both}")

    def _union(self, name: str, values: list) -> None:
        merged = self.unions.setdefault(name, [])
        if name in _KEYED:
            taken = {item[0] for item in merged}
            merged.extend(item for item in values if item[0] not in taken)
        else:
            merged.extend(item for item in values if item not in merged)

    def _place(self, row: RosterRow) -> None:
        found = self.places.get(row.address)
        if found is None:
            self.places[row.address] = (row.location, row.line)
            self.hour_flags[row.address] = row.hour_flags
            return
        place = found[0]
        for name in _PLACE_FIELDS:
            if getattr(place, name) is None:
                setattr(place, name, getattr(row.location, name))
        old = self.hour_flags[row.address]
        self.hour_flags[row.address] = tuple(
            a if a is not None else b for a, b in zip(old, row.hour_flags, strict=True)
        )

    def _list(self, row: RosterRow) -> None:
        plan = row.plan
        self.listed_at[(plan.plan_id, row.address)] = row.line
        listing = self.listings.setdefault(plan.plan_id, PlanListing(plan.plan_id))
        place = self.places[row.address][0]
        if place not in listing.locations:
            listing.locations.append(place)
        entry = (plan.participation_id, listing.locations.index(place))
        if entry not in listing.networks:
            listing.networks.append(entry)
        if row.verified_on and (
            listing.verified_on is None or row.verified_on < listing.verified_on
        ):
            listing.verified_on = row.verified_on
        listing.method = listing.method or row.verification_method
        if listing.provider_id is None and row.provider_id:
            listing.provider_id, listing.provider_id_line = row.provider_id, row.line

    def records(self) -> list[ClinicianRecord]:
        """One record per plan; each carries every clinician-level fact the rows gave."""
        facts = {name: value for name, (value, _) in self.scalars.items()}
        facts.update({name: list(values) for name, values in self.unions.items()})
        facts["licenses"] = [lic for lic, _ in self.licenses.values()] or None
        facts["accepting_new_patients"] = self._accepting()
        last_name = facts.pop("last_name")
        return [
            ClinicianRecord(
                npi=self.npi,
                last_name=last_name,
                source=f"roster:{listing.plan_id}",
                source_ref=listing.provider_id,
                locations=listing.locations,
                networks=listing.networks,
                verified_at=_midnight(listing.verified_on),
                **facts,
            )
            for listing in self.listings.values()
        ]

    def _accepting(self) -> bool | None:
        """Accepting somewhere if any place says so; not accepting if every answer is no."""
        answers = [place.accepting_new_patients for place, _ in self.places.values()]
        if True in answers:
            return True
        if answers and all(answer is False for answer in answers):
            return False
        return None


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None
