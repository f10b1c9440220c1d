"""Every kind of file the directory loads: one registry the CLI, the admin page and runs read.

Adding a loader is one module with a function that fits `Loader`, and one `IngestKind` line
in KINDS: `flask ingest <name>` and the admin page's choice follow from it. Each kind also
says what its files look like (`FileShape`), so a file given as the wrong kind is refused with
the kind it looks like ("this looks like an NPPES file, not a plan roster file").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask_babel import lazy_gettext as _l
from werkzeug.utils import import_string

from ingest.fhir_files import input_files
from ingest.headers import first_line_header, missing_columns
from ingest.report import FileRefused, LoadSummary, RejectReport

_SNIFF_BYTES = 1 << 16  # what is read to tell a file's kind: a header line, a first resource
_RESOURCE_TYPE = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]+)"')
_JSON_KEY = re.compile(rb'"([A-Za-z_0-9]+)"\s*:')
# Keys only FindTreatment rows carry; an HSDS file names none of them (and FHIR has its own).
FINDTREATMENT_KEYS = ("all_services", "name1")
HSDS_KEYS = ("service_at_locations", "services", "organization", "location", "taxonomy_term")


class Loader(Protocol):
    """What every loader takes and returns."""

    def __call__(self, path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
        """Load `path`: bad rows to `report`, good ones saved; FileRefused when none can load."""
        # The summary's counts give the exit status: LoadSummary.status().


class FileShape(Protocol):
    """How to tell, from its first bytes, that a file (or folder) is of a kind."""

    def matches(self, path: Path) -> bool:
        """True when `path` looks like this kind of input."""


# Shapes name their column or type lists by import string ('module:NAME'), each kept beside
# its loader: the registry is read by every web worker, which must not import the loaders.


@dataclass(frozen=True)
class CsvShape:
    """A CSV whose header holds the required columns (names trimmed, a BOM dropped)."""

    columns: str  # 'module:NAME' of the loader's required columns
    lines: int = 1  # the header may come after title lines (a workbook saved as CSV)

    def matches(self, path: Path) -> bool:
        """True for a file whose first line (or one of the first `lines`) names every column."""
        if not path.is_file():
            return False
        wanted = set(import_string(self.columns))
        with path.open("rb") as handle:
            for _ in range(self.lines):
                line = handle.readline(_SNIFF_BYTES).decode("utf-8", errors="replace")
                header = {name.strip().lstrip("\ufeff") for name in next(csv.reader([line]), [])}
                if wanted <= header:
                    return True
        return False


@dataclass(frozen=True)
class AliasedCsvShape:
    """A CSV whose header holds the required columns under any of their names (case, spaces
    and punctuation ignored), for files whose layout changed over releases."""

    aliases: str  # 'module:NAME' of {canonical name: older names}
    required: str  # 'module:NAME' of the canonical names a file must have

    def matches(self, path: Path) -> bool:
        """True for a file whose first line names every required column somehow."""
        header = first_line_header(path)
        aliases, required = import_string(self.aliases), import_string(self.required)
        return bool(header) and not missing_columns(header, aliases, required)


@dataclass(frozen=True)
class FhirShape:
    """JSON or NDJSON whose first resources (a Bundle's entries too) are of the given types."""

    types: str  # 'module:NAME' of the resource types the loader reads

    def matches(self, path: Path) -> bool:
        """True when a resourceType in the first file's first 64 KiB is one of the types."""
        try:
            first = input_files(path)[0][0]
        except FileRefused:  # a folder without JSON files
            return False
        with first.open("rb") as handle:
            found = _RESOURCE_TYPE.findall(handle.read(_SNIFF_BYTES))
        types = import_string(self.types)
        return any(kind.decode() in types for kind in found)


@dataclass(frozen=True)
class JsonKeyShape:
    """JSON or NDJSON whose first 64 KiB name one of `keys` and none of `unless`."""

    keys: tuple[str, ...]
    unless: tuple[str, ...] = ()

    def matches(self, path: Path) -> bool:
        """True for a JSON file (or a folder's first one) naming one of the keys."""
        if path.is_dir() or not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
            return False
        named = set(_JSON_KEY.findall(head))
        wanted = {k.encode() for k in self.keys}
        return bool(named & wanted) and not named & {k.encode() for k in self.unless}


@dataclass(frozen=True)
class FolderShape:
    """A folder holding one of `files` (a tabular datapackage)."""

    files: tuple[str, ...]

    def matches(self, path: Path) -> bool:
        """True for a folder with one of the files."""
        return path.is_dir() and any((path / name).is_file() for name in self.files)


@dataclass(frozen=True)
class AnyShape:
    """Any of several shapes."""

    shapes: tuple

    def matches(self, path: Path) -> bool:
        """True when one of the shapes matches."""
        return any(shape.matches(path) for shape in self.shapes)


@dataclass(frozen=True)
class IngestKind:
    """One kind of input: its name (the CLI subcommand, IngestRun.kind), label and loader."""

    name: str  # at most 20 characters (IngestRun.kind)
    label: str  # the admin page's choice, translated
    noun: str  # 'an NPPES file', for the message naming a file of the wrong kind
    help: str  # the CLI subcommand's help
    loader: str  # 'module:function', imported when a load runs (serving never imports it)
    shape: FileShape
    suffixes: tuple[str, ...]  # what an upload may be called
    folders: bool = False  # a folder of files may be given
    # Yes/no options the loader takes as keyword arguments: (name, CLI help), e.g. a roster's
    # "partial"; `flask ingest <kind> --<name>` sets one.
    flags: tuple[tuple[str, str], ...] = ()

    def load(
        self, path: Path, report: RejectReport, batch_size: int = 1000, **flags: bool
    ) -> LoadSummary:
        """Refuse a file of another kind, then run the loader (with the flags it takes)."""
        unknown = set(flags) - {name for name, _ in self.flags}
        if unknown:
            raise ValueError(f"{self.name} takes no option {', '.join(sorted(unknown))}")
        refuse_wrong_kind(self, Path(path))
        loader: Loader = import_string(self.loader)
        return loader(Path(path), report, batch_size=batch_size, **flags)


KINDS: tuple[IngestKind, ...] = (
    IngestKind(
        "nppes",
        _l("NPPES dissemination CSV"),
        "an NPPES file",
        "Load an NPPES dissemination CSV, keeping behavioral-health clinicians.",
        "ingest.nppes:load_nppes",
        CsvShape("ingest.nppes_fields:REQUIRED"),
        (".csv", ".txt"),
        flags=(
            (
                "incremental",
                "A weekly incremental file (same layout, only changed NPIs): nothing absent is "
                "touched, and only a reactivation date brings a deactivated clinician back.",
            ),
        ),
    ),
    IngestKind(
        "nppes-deactivations",
        _l("NPPES Deactivated NPI Report (CSV)"),
        "an NPPES deactivation report",
        "Apply the monthly NPPES Deactivated NPI Report (columns NPI, NPPES Deactivation "
        "Date): those NPIs leave search, kept for history; deactivated clinicians absent "
        "from this full list come back.",
        "ingest.nppes_deactivations:load_nppes_deactivations",
        CsvShape("ingest.nppes_deactivations:REQUIRED", lines=4),
        (".csv", ".txt"),
    ),
    IngestKind(
        "plan-net",
        _l("FHIR Plan-Net Bundle, NDJSON or folder"),
        "a FHIR Plan-Net file",
        "Load FHIR Plan-Net resources: a Bundle, NDJSON files, or a folder of JSON files.",
        "ingest.plan_net:load_plan_net",
        FhirShape("ingest.fhir_index:PLAN_NET_TYPES"),
        (".json", ".ndjson", ".jsonl"),
        folders=True,
    ),
    IngestKind(
        "roster",
        _l("Plan roster CSV"),
        "a plan roster file",
        "Load a plan roster CSV (columns documented in the README).",
        "ingest.roster:load_roster",
        CsvShape("ingest.roster_rows:REQUIRED_COLUMNS"),
        (".csv", ".txt"),
        flags=(
            (
                "partial",
                "The file holds some of the plan's clinicians: only they change; no one is "
                "ended for being absent (default: the plan's whole list, absent ones leave it).",
            ),
        ),
    ),
    IngestKind(
        "cms-dac",
        _l("CMS Doctors & Clinicians national file (CSV)"),
        "a CMS Doctors & Clinicians file",
        "Load the CMS Doctors & Clinicians National Downloadable File, keeping "
        "behavioral-health clinicians, their groups and every practice address.",
        "ingest.cms_dac:load_cms_dac",
        AliasedCsvShape("ingest.cms_dac_fields:ALIASES", "ingest.cms_dac_fields:REQUIRED"),
        (".csv", ".txt"),
    ),
    IngestKind(
        "hsds",
        _l("Open Referral HSDS programs (JSON, NDJSON or tabular folder)"),
        "an HSDS file",
        "Load community programs: HSDS 3.0 JSON (object, list, NDJSON), an HSDS 3.0 or 1.x "
        "tabular datapackage folder (datapackage.json and CSVs).",
        "ingest.hsds:load_hsds",
        AnyShape(
            (
                FolderShape(("datapackage.json", "services.csv")),
                JsonKeyShape(HSDS_KEYS, FINDTREATMENT_KEYS + ("resourceType",)),
            )
        ),
        (".json", ".ndjson", ".jsonl"),
        folders=True,
    ),
    IngestKind(
        "findtreatment",
        _l("FindTreatment.gov facilities JSON"),
        "a FindTreatment.gov file",
        "Load substance-use treatment facilities from FindTreatment.gov (flattened export or API "
        "rows): levels of care, MOUD, payment, languages.",
        "ingest.findtreatment:load_findtreatment",
        JsonKeyShape(FINDTREATMENT_KEYS),
        (".json", ".ndjson", ".jsonl"),
    ),
)


def kind_names() -> tuple[str, ...]:
    """The names of every kind, in registry order."""
    return tuple(kind.name for kind in KINDS)


def get_kind(name: str) -> IngestKind | None:
    """The kind called `name`, or None."""
    return next((kind for kind in KINDS if kind.name == name), None)


def upload_suffixes() -> frozenset[str]:
    """Every file suffix some kind accepts."""
    return frozenset(suffix for kind in KINDS for suffix in kind.suffixes)


def looks_like(path: Path) -> list[IngestKind]:
    """The kinds whose shape `path` has."""
    return [kind for kind in KINDS if kind.shape.matches(path)]


def refuse_wrong_kind(kind: IngestKind, path: Path) -> None:
    """FileRefused naming the kind `path` looks like, when it looks like another one only."""
    if kind.shape.matches(path):
        return
    others = [other for other in looks_like(path) if other is not kind]
    if others:
        raise FileRefused(
            f"{path.name}: this looks like {others[0].noun}, not {kind.noun}; nothing was loaded"
        )


def load_file(
    name: str, path: Path, rejects: Path, batch_size: int = 1000, **flags: bool
) -> tuple[LoadSummary, RejectReport]:
    """Load `path` as the kind `name`, reports at `rejects` (FileRefused: nothing loaded)."""
    # The runner for callers outside the CLI (the demo's sample roster, scripts).
    kind = get_kind(name)
    if kind is None:
        raise ValueError(f"unknown ingest kind {name!r}; known: {', '.join(kind_names())}")
    with RejectReport(rejects) as report:
        summary = kind.load(Path(path), report, batch_size=batch_size, **flags)
    return summary, report
