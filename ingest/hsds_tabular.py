"""HSDS tabular datapackages (3.0 and 1.x CSV folders) read back into 3.0-shaped service objects.

Each service row becomes the nested object the HSDS 3.0 JSON examples show, so one parser
(programs.hsds) reads every form. 1.x names differ: services_at_location.csv,
physical_addresses.csv, regular_schedules.csv (weekday), services_taxonomy.csv + taxonomy.csv,
languages.csv (a language name).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from directory.vocabulary import languages
from ingest.report import FileRefused

V1_FILES = ("services_at_location.csv", "physical_addresses.csv")


def resource_paths(folder: Path) -> dict[str, Path]:
    """File name -> path for the resources a datapackage.json lists under another path."""
    package = folder / "datapackage.json"
    try:
        resources = json.loads(package.read_text("utf-8")).get("resources", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for resource in resources if isinstance(resources, list) else []:
        path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(path, str) and not path.startswith(("http:", "https:", "/")):
            found[Path(path).name] = folder / path
    return found


def _table(folder: Path, name: str) -> list[dict]:
    # A package may keep its CSVs elsewhere (data/services.csv): datapackage.json says where.
    path = resource_paths(folder).get(name, folder / name)
    if ".." in path.relative_to(folder).parts or not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = []
        for row in reader:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            row["_line"] = reader.line_num
            rows.append(row)
        return rows


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            found[row[key]].append(row)
    return found


def is_v1(folder: Path) -> bool:
    """A 1.x datapackage: its own file names."""
    paths = resource_paths(folder)
    return any(paths.get(name, folder / name).is_file() for name in V1_FILES)


def service_objects(folder: Path) -> Iterator[tuple[int, dict]]:
    """(line in services.csv, 3.0-shaped service) for every service row."""
    services = resource_paths(folder).get("services.csv", folder / "services.csv")
    if not services.is_file():
        raise FileRefused(f"{folder.name}: no services.csv; nothing was loaded")
    with services.open(encoding="utf-8-sig", newline="") as f:
        header = [h.strip() for h in next(csv.reader(f), [])]
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        raise FileRefused(
            f"services.csv: missing required column(s): {', '.join(missing)}; nothing was loaded"
        )
    tables = _V1(folder) if is_v1(folder) else _V3(folder)
    for row in _table(folder, "services.csv"):
        yield row["_line"], tables.service(row)


class _V3:
    """Joins of a 3.0 package."""

    sal_file, address_file, language_key = "service_at_location.csv", "addresses.csv", "code"

    def __init__(self, folder: Path):
        self.orgs = {r["id"]: r for r in _table(folder, "organizations.csv")}
        self.locations = {r["id"]: r for r in _table(folder, "locations.csv")}
        self.addresses = _by(_table(folder, self.address_file), "location_id")
        schedules = self._schedules(folder)
        self.by_service = _by(schedules, "service_id")
        self.by_location = _by(schedules, "location_id")
        self.by_sal = _by(schedules, "service_at_location_id")
        self.sals = _by(_table(folder, self.sal_file), "service_id")
        self.languages = _by(_table(folder, "languages.csv"), "service_id")
        self.costs = _by(_table(folder, "cost_options.csv"), "service_id")
        self.phones = _by(_table(folder, "phones.csv"), "service_id")
        self.attributes = self._attributes(folder)

    def _schedules(self, folder: Path) -> list[dict]:
        return _table(folder, "schedules.csv")

    def _attributes(self, folder: Path) -> dict[str, list[dict]]:
        taxonomies = {r["id"]: r.get("name") for r in _table(folder, "taxonomies.csv")}
        terms = {r["id"]: r for r in _table(folder, "taxonomy_terms.csv")}
        found: dict[str, list[dict]] = defaultdict(list)
        for row in _table(folder, "attributes.csv"):
            term = dict(terms.get(row.get("taxonomy_term_id"), {}))
            if term:
                term["taxonomy"] = term.get("taxonomy") or taxonomies.get(term.get("taxonomy_id"))
                found[row.get("link_id", "")].append({"taxonomy_term": term})
        return found

    def _location(self, location_id: str) -> dict | None:
        location = self.locations.get(location_id)
        if location is None:
            return None
        return {**location, "addresses": self.addresses.get(location_id, []),
                "schedules": self.by_location.get(location_id, [])}  # fmt: skip

    def _language(self, row: dict) -> dict:
        return {"code": row.get(self.language_key, "")}

    def service(self, row: dict) -> dict:
        """The nested 3.0 object of one service row."""
        sals = []
        for sal in self.sals.get(row["id"], []):
            location = self._location(sal.get("location_id", ""))
            if location is not None:
                schedules = self.by_sal.get(sal.get("id", ""), [])
                sals.append({**sal, "location": location, "schedules": schedules})
        return {
            **row,
            "organization": self.orgs.get(row.get("organization_id", "")),
            "service_at_locations": sals,
            "schedules": self.by_service.get(row["id"], []),
            "languages": [self._language(r) for r in self.languages.get(row["id"], [])],
            "cost_options": self.costs.get(row["id"], []),
            "phones": self.phones.get(row["id"], []),
            "attributes": self.attributes.get(row["id"], []),
        }


class _V1(_V3):
    """Joins of a 1.x package (file and column names of HSDS 1.1)."""

    sal_file, address_file, language_key = "services_at_location.csv", "physical_addresses.csv", ""

    def _schedules(self, folder: Path) -> list[dict]:
        return _table(folder, "regular_schedules.csv")

    def _attributes(self, folder: Path) -> dict[str, list[dict]]:
        taxonomy = {r["id"]: r for r in _table(folder, "taxonomy.csv")}
        found: dict[str, list[dict]] = defaultdict(list)
        for row in _table(folder, "services_taxonomy.csv"):
            term = taxonomy.get(row.get("taxonomy_id", ""), {"id": row.get("taxonomy_id")})
            said = {"code": term.get("id"), "name": term.get("name"),
                    "taxonomy": term.get("vocabulary")}  # fmt: skip
            found[row.get("service_id", "")].append({"taxonomy_term": said})
        return found

    def _language(self, row: dict) -> dict:
        names = {term.label.lower(): code for code, term in languages().items()}
        return {"code": names.get(row.get("language", "").lower(), "")}

    def service(self, row: dict) -> dict:
        """1.x keeps eligibility apart; the rest is joined as in 3.0."""
        found = super().service(row)
        found["eligibility_description"] = row.get("eligibility_description")
        return found
