"""`flask ingest hsds PATH`: Open Referral HSDS programs, JSON (3.0) or a tabular folder (3.0, 1.x).

JSON may be one object, a list, an API page ({"contents": [...]}) or NDJSON; each object a
service, an organization with its services, or a service_at_location with its service and
location. Taxonomy terms no known vocabulary has are kept with the service and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.hsds_tabular import service_objects
from ingest.program_files import read_entries
from ingest.program_store import save_services
from ingest.report import LoadSummary, RejectReport
from programs.hsds import Refusal, parse_service

# Fields only an organization or a location has: such an object alone lists no service.
NOT_A_SERVICE = frozenset(
    {"tax_status", "legal_status", "year_incorporated", "organization_identifiers",
     "parent_organization_id", "location_type", "addresses", "latitude", "longitude"}
)  # fmt: skip


def _services_of(item: dict) -> list[dict]:
    """The service objects one JSON object holds ([] for an organization or location alone)."""
    if isinstance(item.get("service"), dict):  # a service_at_location
        sal = {k: v for k, v in item.items() if k != "service"}
        return [{**item["service"], "service_at_locations": [sal]}]
    if isinstance(item.get("services"), list):  # an organization
        org = {k: v for k, v in item.items() if k != "services"}
        return [{"organization": org, **s} for s in item["services"] if isinstance(s, dict)]
    return [] if NOT_A_SERVICE & item.keys() else [item]


def _json_services(path: Path) -> Iterator[tuple[str, int, dict | None, str | None]]:
    for entry in read_entries(path):
        if entry.problem:
            yield entry.label, entry.number, None, entry.problem
            continue
        services = _services_of(entry.item)
        if not services:
            yield entry.label, entry.number, None, None
        for service in services:
            yield entry.label, entry.number, service, None


def _tabular_services(path: Path) -> Iterator[tuple[str, int, dict | None, str | None]]:
    for line, service in service_objects(path):
        yield "Line", line, service, None


def load_hsds(path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
    """Load every service; one without an id or name, or with a bad age, is rejected."""
    summary, batch = LoadSummary(), []
    file = "services.csv" if path.is_dir() else path.name
    services = _tabular_services(path) if path.is_dir() else _json_services(path)
    for label, number, item, problem in services:
        summary.read += 1
        if item is None and problem is None:
            summary.out_of_scope += 1
            continue
        try:
            if problem:
                raise Refusal("", problem)
            parsed = parse_service(item)
        except Refusal as refused:
            report.reject(file, number, refused.field, f"{label} {number}: {refused}")
            summary.rejected += 1
            continue
        for term in parsed.unknown_terms:
            said = ":".join(filter(None, (term["taxonomy"], term["code"])))
            reason = "unknown taxonomy code: kept with the program, mapped to no need"
            report.repair(file, number, "taxonomy_term", said, "", reason)
        batch.append(parsed.record)
        if len(batch) >= batch_size:
            save_services(batch, summary)
            batch = []
    save_services(batch, summary)
    return summary
