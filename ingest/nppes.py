"""Load the CMS NPPES dissemination CSV, keeping behavioral-health clinicians.

The full monthly file is the baseline; the weekly incremental file has the same layout and
only the NPIs changed that week. Neither deletes what is absent. A row with a deactivation
date and no later reactivation takes a held clinician out of search (ingest.nppes_status);
a reactivated NPI brings them back. The full file, as baseline, also brings back a
deactivated clinician whose row is active without a reactivation date.
"""

from dataclasses import astuple
from datetime import date
from pathlib import Path

from directory.geography import ZipRepair
from directory.npi import npi_error
from ingest.collector import earlier_objects_frozen, young_collections_spaced
from ingest.nppes_fields import (
    DEACTIVATED,
    LAST_NAME,
    NPI,
    POSTAL,
    REACTIVATED,
    TAXONOMY,
    is_deactivated,
    parse_date,
    to_record,
)
from ingest.nppes_reading import nppes_reading
from ingest.nppes_rows import Prepared
from ingest.nppes_scope import Scope
from ingest.nppes_status import StatusCounts, deactivate, deactivated_npis, reactivate
from ingest.placement import UNPLACED_NOTE
from ingest.progress import Progress
from ingest.reading import CsvRow
from ingest.report import LoadSummary, RejectReport
from ingest.saving import save_clinicians
from ingest.sqlite_rows import page_cache_for_load
from ingest.store import Batcher

_PROGRESS_EVERY = 4096


class _NppesLoad:
    """One pass over one file: scope, validation, rejects and batched saving."""

    def __init__(self, path: Path, report: RejectReport, batch_size: int, incremental: bool):
        self.file = path.name
        self.report = report
        self.incremental = incremental
        self.summary = LoadSummary()
        self.batcher = Batcher(self._save, batch_size, refused=self._refused, summary=self.summary)
        self.deactivations = Batcher(self._deactivate, batch_size)
        self.in_scope = Scope()
        self.seen: set[int] = set()  # in-scope NPIs only, as ints: ~1.2M of 9.7M rows
        self.deactivated = deactivated_npis()  # held clinicians out of search: few
        # NPI -> reactivated on, for held deactivated clinicians only (few); kept, not popped,
        # so a batch refused and saved again row by row still brings them back.
        self.back: dict[str, date | None] = {}

    def _save(self, records: list) -> None:
        save_clinicians(records, self.summary)
        back = {r.npi: self.back[r.npi] for r in records if r.npi in self.back}
        if back:
            reactivate(back)

    def _deactivate(self, items: list[tuple[str, date]]) -> None:
        counts: StatusCounts = deactivate(dict(items))
        self.summary.updated += counts.changed
        self.summary.unchanged += counts.unchanged
        self.summary.out_of_scope += counts.unknown

    def _deactivation(self, row: CsvRow) -> bool:
        """Queue a deactivated NPI's row (True), or False for a row of an active NPI."""
        values = row.values
        if not is_deactivated(values):
            return False
        npi = values.get(NPI, "").strip()
        problem = npi_error(npi)
        if problem:
            self._reject(row, NPI, problem, npi)
            return True
        self.deactivations.add((npi, parse_date(values[DEACTIVATED]).date()))
        return True

    def _note_reactivation(self, values: dict[str, str]) -> None:
        """Remember a held, deactivated clinician this active row may bring back."""
        npi = values[NPI].strip()
        if int(npi) not in self.deactivated:
            return
        reactivated = parse_date(values.get(REACTIVATED))
        if reactivated is not None:
            self.back[npi] = reactivated.date()
        elif not self.incremental:  # the baseline says the NPI is active now
            self.back[npi] = None

    def handle(self, row: CsvRow, prep: Prepared | None) -> None:
        """Count, reject or queue one row (or count a run of rows skipped unparsed)."""
        if row.skipped:
            self.summary.read += row.skipped
            self.summary.out_of_scope += row.skipped
            return
        self.summary.read += 1
        if row.problem is not None:
            self._unreadable(row)
            return
        if self._deactivation(row):
            return
        if prep is None:  # active, readable and not in scope (see nppes_rows.prepare)
            self.summary.out_of_scope += 1
            return
        values = row.values
        fault = self._fault(values, prep)
        if fault is not None:
            self._reject(row, *fault)
            return
        if prep.repair is not None:
            self._repaired(row, prep.repair)
        self._placed(row, prep.placement)
        self._note_reactivation(values)
        record = prep.record if prep.record is not None else to_record(values, prep.slots)
        self.batcher.add(record, (row.line, values[NPI].strip()))

    def _unreadable(self, row: CsvRow) -> None:
        """A row the reader found faulty: rejected, unless it is out of scope."""
        # A stray byte or NUL in an out-of-scope row costs nothing; a broken structure is reported.
        if row.text_only and not self.in_scope(row.values):
            self.summary.out_of_scope += 1
            return
        self._reject(row, *row.problem, row.value or row.values.get(NPI, ""))

    def _repaired(self, row: CsvRow, repair: ZipRepair) -> None:
        self.report.repair(self.file, row.line, POSTAL, repair.before, repair.after, repair.reason)
        self.summary.repaired += 1

    def _placed(self, row: CsvRow, note: ZipRepair | None) -> None:
        """Report a practice ZIP placed only by its city, or not at all: the clinician is kept."""
        if note is None:
            return
        if note.after == UNPLACED_NOTE:
            self.summary.unplaced += 1
        self.report.repair(self.file, row.line, POSTAL, *astuple(note))

    def _refused(self, origin: tuple[int, str], reason: str) -> None:
        """A row the database refused when its batch was saved again row by row."""
        line, npi = origin
        self.report.reject(self.file, line, "(row)", reason, npi)
        self.summary.rejected += 1

    def _fault(self, values: dict[str, str], prep: Prepared) -> tuple[str, str, str] | None:
        """(field, reason, value) of the first problem with an in-scope row, or None."""
        npi = values.get(NPI, "").strip()
        if prep.npi_problem:
            return NPI, prep.npi_problem, npi
        if int(npi) in self.seen:
            return NPI, f"duplicate NPI {npi}: an earlier row in this file has it", npi
        self.seen.add(int(npi))
        known = self.in_scope.known
        for slot, code in prep.slots:
            if code not in known:
                return TAXONOMY[slot], f"unknown NUCC taxonomy code {code}", code
        if not values.get(LAST_NAME, "").strip():
            return LAST_NAME, "last name is missing", ""
        return None  # an address never rejects a clinician (see _placed)

    def _reject(self, row: CsvRow, field: str, reason: str, value: str = "") -> None:
        self.report.reject(self.file, row.line, field, reason, value)
        self.summary.rejected += 1


def load_nppes(
    path: Path, report: RejectReport, batch_size: int = 1000, incremental: bool = False
) -> LoadSummary:
    """Stream an NPPES CSV into the directory; FileRefused (nothing written) on a bad header.

    `incremental`: a weekly file; only a reactivation date brings a deactivated clinician back.
    """
    path = Path(path)
    load = _NppesLoad(path, report, batch_size, incremental)
    size = path.stat().st_size
    progress = Progress(size, f"NPPES {path.name}")
    # On a second core the file is read while this process saves (about half the work each).
    reading = nppes_reading(path, load.in_scope)
    with reading as rows, progress, earlier_objects_frozen(), young_collections_spaced():
        with page_cache_for_load():
            _load_rows(load, rows, progress)
        progress.advance_to(size)
    return load.summary


def _load_rows(load: _NppesLoad, rows, progress: Progress) -> None:
    """Handle every row, then save what the last batches hold."""
    due = _PROGRESS_EVERY
    for row, prep in rows:  # the header is checked on the first step, before any write
        load.handle(row, prep)
        if load.summary.read >= due:  # a run of skipped rows counts many at once
            progress.advance_to(row.bytes_read)
            due = load.summary.read + _PROGRESS_EVERY
    load.batcher.flush()
    load.deactivations.flush()
