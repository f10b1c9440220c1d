"""Every kind of file the directory loads: one registry the CLI, the admin page and runs read.

Adding a loader is one module with a function that fits `Loader`, and one `IngestKind` line
in KINDS: `flask ingest <name>` and the admin page's choice follow from it. Each kind also
says what its files look like (`FileShape`), so a file given as the wrong kind is refused with
the kind it looks like ("this looks like an NPPES file, not a plan roster file").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask_babel import lazy_gettext as _l
from werkzeug.utils import import_string

from ingest.file_shapes import (
    AliasedCsvShape,
    AnyShape,
    CsvShape,
    FhirShape,
    FileShape,
    FolderShape,
    JsonKeyShape,
)
from ingest.report import FileRefused, LoadSummary, RejectReport

# Keys only FindTreatment rows carry; an HSDS file names none of them (and FHIR has its own).
FINDTREATMENT_KEYS = ("all_services", "name1")
HSDS_KEYS = ("service_at_locations", "services", "organization", "location", "taxonomy_term")


class Loader(Protocol):
    """What every loader takes and returns."""

    def __call__(self, path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
        """Load `path`: bad rows to `report`, good ones saved; FileRefused when none can load."""
        # The summary's counts give the exit status: LoadSummary.status().


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
    # 'module:function' the CLI calls with the file's path as soon as it has it, before the
    # app is built: it may start reading the file ahead, and returns what stops that reading
    # when the load never takes it (ingest.nppes_reading.begin_reading).
    begin: str | None = None

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
        begin="ingest.nppes_reading:begin_reading",
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
