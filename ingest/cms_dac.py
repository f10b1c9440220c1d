"""Load the CMS Doctors & Clinicians National Downloadable File, keeping behavioral health.

One row per clinician per address and group; one NPI's rows need not be together. Pass one
reads every row, keeps the behavioral-health ones (specialties mapped to NUCC as data), checks
and repairs them, and spills them to a temporary table; pass two reads them back grouped by NPI
and saves one clinician each, with every address a location and every group an organization.
"""

from dataclasses import astuple
from pathlib import Path

from directory.geography import repair_zip, zip5
from directory.names import person_name
from directory.npi import npi_error
from ingest.cms_dac_fields import (
    ALIASES,
    CITY,
    CREDENTIAL,
    FACILITY,
    FIRST_NAME,
    GENDER,
    GROUP_PAC,
    LAST_NAME,
    LINE1,
    LINE2,
    LINE2_SUPPRESSED,
    MIDDLE_NAME,
    NPI,
    PHONE,
    PRIMARY,
    REQUIRED,
    SECONDARY,
    SECONDARY_ALL,
    SOURCE,
    STATE,
    SUFFIX,
    TELEHEALTH,
    ZIP,
    observed_on,
    raw_specialty_filter,
    read_phone,
    taxonomy_codes,
)
from ingest.cms_dac_group import DacGroup, DacRow, merge_rows
from ingest.collector import earlier_objects_frozen
from ingest.headers import first_line_header, missing_columns, resolve_columns
from ingest.organizations import save_organizations
from ingest.placement import UNPLACED_NOTE, placement_note
from ingest.progress import Progress
from ingest.reading import CsvRow, read_csv
from ingest.report import FileRefused, LoadSummary, RejectReport
from ingest.saving import save_clinicians
from ingest.spill import Spill
from ingest.store import Batcher

_PROGRESS_EVERY = 4096
Fix = tuple[str, str, str, str]  # (column, before, after, reason) of a row that loads


class _DacLoad:
    """Both passes over one file: scope, checks, repairs, the spill and batched saving."""

    def __init__(self, path: Path, report: RejectReport, batch_size: int, spill: Spill):
        self.file = path.name
        self.report = report
        self.summary = LoadSummary()
        self.columns = resolve_columns(first_line_header(path), ALIASES)
        self.observed = observed_on(path)
        self.spill = spill
        self.batcher = Batcher(self._save, batch_size, refused=self._refused, summary=self.summary)

    def cell(self, values: dict[str, str], name: str) -> str:
        """The stripped value of canonical column `name` ('' when the file lacks it)."""
        return (values.get(self.columns.get(name, ""), "") or "").strip()

    def take(self, row: CsvRow) -> None:
        """Pass one: count, reject, or check, repair and spill one row (or a skipped run)."""
        if row.skipped:
            self.summary.read += row.skipped
            self.summary.out_of_scope += row.skipped
            return
        self.summary.read += 1
        codes = self._codes(row.values)
        if row.problem is not None and (codes or not row.text_only):
            self._reject(row.line, *row.problem, row.value or self.cell(row.values, NPI))
            return
        if not codes or row.problem is not None:  # a stray byte in a row we would not keep
            self.summary.out_of_scope += 1
            return
        npi = self.cell(row.values, NPI)
        problem = npi_error(npi)
        if problem:
            self._reject(row.line, self.columns[NPI], problem, npi)
            return
        if not self.cell(row.values, LAST_NAME):
            self._reject(row.line, self.columns[LAST_NAME], "last name is missing")
            return
        parsed, fixes = self._parse(row.values, codes)
        for column, before, after, reason in fixes:
            self.report.repair(self.file, row.line, column, before, after, reason)
        self.summary.repaired += bool(fixes)
        self._placement(row.line, self.cell(row.values, ZIP), parsed)
        self.spill.add(int(npi), row.line, parsed.as_list())

    def _codes(self, values: dict[str, str]) -> list[tuple[str, bool]]:
        secondaries = [self.cell(values, name) for name in SECONDARY]
        return taxonomy_codes(
            self.cell(values, PRIMARY), secondaries, self.cell(values, SECONDARY_ALL)
        )

    def _parse(self, values: dict[str, str], codes: list) -> tuple[DacRow, list[Fix]]:
        """The row's facts, and the repairs made to read them."""
        fixes: list[Fix] = []
        cell = self.cell
        line2 = None if cell(values, LINE2_SUPPRESSED).upper() == "Y" else cell(values, LINE2)
        row = DacRow(
            # CMS writes names in capitals, as NPPES does: "Mary O'Neil-McDonald" on a page.
            last_name=person_name(cell(values, LAST_NAME)) or "",
            first_name=person_name(cell(values, FIRST_NAME)) or None,
            middle_name=person_name(cell(values, MIDDLE_NAME)) or None,
            suffix=cell(values, SUFFIX) or None,
            gender=cell(values, GENDER).upper() or None,
            credential=cell(values, CREDENTIAL),
            codes=codes,
            telehealth=cell(values, TELEHEALTH).upper(),
            group_pac=cell(values, GROUP_PAC) or None,
            facility=cell(values, FACILITY) or None,
            line1=cell(values, LINE1) or None,
            line2=line2 or None,
            city=cell(values, CITY) or None,
            state=self._state(cell(values, STATE), fixes),
            postal_code=self._zip(cell(values, ZIP), fixes),
            phone=self._phone(cell(values, PHONE), fixes),
        )
        return row, fixes

    def _placement(self, line: int, raw: str, row: DacRow) -> None:
        """Say when the address is placed only by its city, or kept off the map."""
        note = placement_note(row.postal_code or raw, row.city, row.state)
        if note is not None:
            self.report.repair(self.file, line, self.columns[ZIP], *astuple(note))
            self.summary.unplaced += note.after == UNPLACED_NOTE

    def _zip(self, raw: str, fixes: list[Fix]) -> str | None:
        """The 5-digit ZIP, repaired when a spreadsheet dropped its zeros; None if unreadable."""
        column = self.columns[ZIP]
        repair = repair_zip(raw, dashless_zip4=True)  # CMS writes ZIP+4 as 9 digits
        if repair is not None:
            fixes.append((column, repair.before, repair.after, repair.reason))
            return zip5(repair.after)
        return zip5(raw)

    def _state(self, raw: str, fixes: list[Fix]) -> str | None:
        state = raw.upper()
        if len(state) == 2 and state.isalpha():
            return state
        fixes.append((self.columns[STATE], raw, "", "not a 2-letter state code: left out"))
        return None

    def _phone(self, raw: str, fixes: list[Fix]) -> str | None:
        fix = read_phone(raw)
        if fix.reason is not None:
            fixes.append((self.columns.get(PHONE, PHONE), raw, fix.digits or "", fix.reason))
        return fix.digits

    def _reject(self, line: int, field: str, reason: str, value: str = "") -> None:
        self.report.reject(self.file, line, field, reason, value)
        self.summary.rejected += 1

    def save_all(self) -> None:
        """Pass two: every NPI's rows merged into one clinician, saved in batches."""
        with Progress(self.spill.count, f"CMS DAC {self.file}: saving") as progress:
            done = 0
            for npi, rows in self.spill.groups():
                members = [(line, DacRow.from_list(values)) for line, values in rows]
                group = merge_rows(f"{npi:010d}", members, self.observed)
                self.batcher.add(group, group)
                done += len(rows)
                progress.advance_to(done)
            self.batcher.flush()

    def _save(self, groups: list[DacGroup]) -> None:
        names: dict[str, str] = {}
        for group in groups:
            for external_id, name in group.organizations.items():
                names.setdefault(external_id, name)
        save_organizations(names, SOURCE)
        save_clinicians([group.record for group in groups], self.summary)

    def _refused(self, group: DacGroup, reason: str) -> None:
        """Every row of a clinician the database refused when saved on its own."""
        for line in group.lines:
            self._reject(line, "(row)", reason, group.npi)


def check_columns(path: Path) -> None:
    """FileRefused naming the required columns the file has under none of their names."""
    header = first_line_header(path)
    missing = missing_columns(header, ALIASES, REQUIRED) if header else []
    if missing:
        raise FileRefused(
            f"{path.name}: missing required column(s): {', '.join(missing)}; nothing was loaded"
        )


def load_cms_dac(path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
    """Load a DAC file; FileRefused (nothing written) when a required column is missing."""
    path = Path(path)
    check_columns(path)
    pattern = raw_specialty_filter()
    size = path.stat().st_size
    with Spill() as spill, earlier_objects_frozen():
        load = _DacLoad(path, report, batch_size, spill)
        rows = read_csv(path, may_keep=lambda raw: pattern.search(raw) is not None)
        with Progress(size, f"CMS DAC {path.name}: reading") as progress:
            due = _PROGRESS_EVERY
            for row in rows:
                load.take(row)
                if load.summary.read >= due:  # a run of skipped rows counts many at once
                    progress.advance_to(row.bytes_read)
                    due = load.summary.read + _PROGRESS_EVERY
            progress.advance_to(size)
        load.save_all()
    return load.summary
