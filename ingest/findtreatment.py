"""`flask ingest findtreatment FILE`: FindTreatment.gov facilities, flattened export or API rows.

A flattened row has `name, city, state, zip, ..., all_services` ('; '-separated phrases); an
API row `name1, street1, ..., services: [{f1: category, f2: code, f3: '; '-separated}]`. Every
phrase is looked up in programs/data/findtreatment_services.csv; one not there is kept with the
service and reported (a repair row), never silently dropped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.program_files import Entry, read_entries
from ingest.program_store import save_services
from ingest.report import LoadSummary, RejectReport
from programs.records import (
    LocationRecord,
    OrganizationRecord,
    ServiceRecord,
    SiteRecord,
    postal_code,
)
from programs.vocabulary import findtreatment_facets

SOURCE = "findtreatment"
# Age ranges of FindTreatment's age groups (SAMHSA N-SUMHSS definitions).
AGE_GROUPS = {
    "children": (0, 17),
    "adolescents": (12, 17),
    "young_adults": (18, 25),
    "adults": (18, None),
    "older_adults": (65, None),
}


def load_findtreatment(path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
    """Load every facility; a record without a name is rejected."""
    summary = LoadSummary()
    batch: list[ServiceRecord] = []
    for entry in read_entries(path):
        summary.read += 1
        record = _record(entry, path.name, report)
        if record is None:
            summary.rejected += 1
            continue
        batch.append(record)
        if len(batch) >= batch_size:
            save_services(batch, summary)
            batch = []
    save_services(batch, summary)
    return summary


def _text(row: dict, *keys: str) -> str | None:
    for key in keys:
        value = row.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def phrases(row: dict) -> list[str]:
    """Every service phrase of a row, in either shape."""
    texts = [row.get("all_services") or ""]
    for group in row.get("services") or []:
        if isinstance(group, dict):
            texts.append(str(group.get("f3") or ""))
    return [p.strip() for text in texts for p in str(text).split(";") if p.strip()]


def _record(entry: Entry, file: str, report: RejectReport) -> ServiceRecord | None:
    if entry.problem:
        report.reject(file, entry.number, "", f"{entry.label} {entry.number}: {entry.problem}")
        return None
    row = entry.item
    name = _text(row, "name", "name1")
    if name is None:
        report.reject(file, entry.number, "name", f"{entry.label} {entry.number}: no name")
        return None
    street = _text(row, "street1", "street")
    zip_code = postal_code(_text(row, "zip"))
    lat, lon = _number(row.get("latitude")), _number(row.get("longitude"))
    # Rows carry no id: one facility is its name, street, ZIP and point (the flattened export
    # lists two sites of one name in one ZIP, told apart by their coordinates only).
    point = f"{lat:.4f},{lon:.4f}" if lat is not None and lon is not None else ""
    key = hashlib.sha256(f"{name}|{street}|{zip_code}|{point}".lower().encode()).hexdigest()[:24]
    location = LocationRecord(
        f"{SOURCE}:{key}",
        name=name,
        line1=street,
        line2=_text(row, "street2"),
        city=_text(row, "city"),
        state=_text(row, "state"),
        postal_code=zip_code,
        lat=lat,
        lon=lon,
    )
    location.place()
    record = ServiceRecord(
        f"{SOURCE}:{key}",
        " ".join(p for p in (name, _text(row, "name2")) if p),
        OrganizationRecord(f"{SOURCE}:{key}", name, website=_text(row, "website")),
        SOURCE,
        sites=[SiteRecord(f"{SOURCE}:{key}", location)],
        url=_text(row, "website"),
        phone=_text(row, "phone", "intake1"),
    )
    _apply_phrases(record, phrases(row), file, entry, report)
    return record


def _apply_phrases(
    record: ServiceRecord, found: list[str], file: str, entry: Entry, report: RejectReport
) -> None:
    facets: dict[str, set[str]] = {}
    for phrase in dict.fromkeys(found):
        meaning = findtreatment_facets(phrase)
        record.taxonomy_terms.append({"taxonomy": SOURCE, "name": phrase})
        if meaning is None:
            report.repair(
                file,
                entry.number,
                "services",
                phrase,
                "",
                "unknown FindTreatment service: kept with the program, used for no filter",
            )
            continue
        for facet, code in meaning:
            facets.setdefault(facet, set()).add(code)
    record.levels_of_care = sorted(facets.get("level_of_care", ()))
    record.medications = sorted(facets.get("medication", ()))
    record.payments = sorted(facets.get("payment", ()))
    record.languages = sorted(facets.get("language", ()))
    record.populations = sorted(facets.get("population", ()))
    record.needs = sorted(facets.get("need", ()) | {"substance_use_treatment"})
    record.detox = "detox" in facets
    record.residential = "residential" in facets
    record.minimum_age, record.maximum_age = age_range(record.populations)


def age_range(populations: list[str]) -> tuple[int | None, int | None]:
    """The ages a facility's age groups cover; (None, None) when it names none."""
    ranges = [AGE_GROUPS[p] for p in populations if p in AGE_GROUPS]
    if not ranges:
        return None, None
    highs = [high for _low, high in ranges]
    return min(low for low, _high in ranges), None if None in highs else max(highs)
