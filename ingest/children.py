"""Child rows kept in step with what a record says about them."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from directory.models import ClinicianCompetency, ClinicianLanguage, ClinicianTaxonomy, License

if TYPE_CHECKING:
    from ingest.records import ClinicianRecord

# (Clinician relationship, model, key columns): one row per key per clinician.
CHILD_TABLES = (
    ("taxonomies", ClinicianTaxonomy, ("code",)),
    ("licenses", License, ("state", "number")),
    ("languages", ClinicianLanguage, ("code",)),
    ("competencies", ClinicianCompetency, ("code",)),
)


def wanted_children(record: ClinicianRecord, name: str) -> dict[tuple, dict] | None:
    """The rows the record asks for in child table `name`, by key; None when it is silent."""
    given = getattr(record, name)
    if given is None:
        return None
    if name == "taxonomies":
        wanted: dict[tuple, dict] = {}
        for code, primary in given:  # NPPES repeats a code once per licence state
            earlier = wanted.get((code,), {}).get("is_primary", False)
            wanted[(code,)] = {"is_primary": bool(primary or earlier)}
        return wanted
    if name == "licenses":
        return {
            (state, number): {"license_type": kind, "expires_on": expires}
            for state, kind, number, expires in given
        }
    if name == "languages":
        return {(code,): {"proficiency": level} for code, level in given}
    return {(code,): {"provenance": how} for code, how in given}


def child_rows(clinician_id: int, record: ClinicianRecord) -> dict[type, list[dict]]:
    """Insertable rows for a new clinician's child tables, by model."""
    rows: dict[type, list[dict]] = {}
    for name, model, key_names in CHILD_TABLES:
        wanted = wanted_children(record, name) or {}
        rows[model] = [
            {"clinician_id": clinician_id, **dict(zip(key_names, key, strict=True)), **attrs}
            for key, attrs in wanted.items()
        ]
    return rows


def sync_children(clinician, record: ClinicianRecord) -> None:
    """Replace the child tables the record speaks about, on a loaded clinician."""
    for name, model, key_names in CHILD_TABLES:
        wanted = wanted_children(record, name)
        if wanted is None:
            continue

        def key_of(row, key_names=key_names) -> tuple:
            return tuple(getattr(row, k) for k in key_names)

        def make(key: tuple, attrs: dict, model=model, key_names=key_names):
            return model(**dict(zip(key_names, key, strict=True)), **attrs)

        sync_rows(getattr(clinician, name), wanted, key_of, make)


def sync_rows(
    rows: list,
    wanted: dict[Hashable, dict],
    key_of: Callable[[object], Hashable],
    make: Callable[[Hashable, dict], object],
    removable: Callable[[object], bool] = lambda row: True,
) -> None:
    """Make `rows` match `wanted` by key, updating kept rows in place."""
    # In place, because a delete and re-insert of one key breaks unique constraints in a flush.
    have = {key_of(row): row for row in rows}
    for key, row in have.items():
        if key not in wanted and removable(row):
            rows.remove(row)
    for key, attrs in wanted.items():
        row = have.get(key)
        if row is None:
            rows.append(make(key, attrs))
            continue
        for name, value in attrs.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
