"""Load the CMS "NPPES Deactivated NPI Report": columns NPI and NPPES Deactivation Date.

CMS publishes it monthly as a full replacement list of deactivated NPIs (originally a
workbook; this reads its CSV form, where a title line comes before the header). Held
clinicians it names leave search, kept for history. A held clinician deactivated before and
absent from this full list was reactivated, and comes back, unless a row of this file was
rejected (the missing NPI may be on that row).
"""

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from directory.npi import npi_error
from ingest.nppes_fields import parse_date
from ingest.nppes_status import StatusCounts, deactivate, deactivated_npis, reactivate
from ingest.reading import CsvRow, check_header
from ingest.report import FileRefused, LoadSummary, RejectReport
from ingest.store import Batcher

NPI = "NPI"
DEACTIVATED = "NPPES Deactivation Date"
REQUIRED = (NPI, DEACTIVATED)
_TITLE_LINES = 3  # the workbook's title (and a blank line) before the header


def read_report(path: Path) -> Iterator[CsvRow]:
    """The report's rows after its header, which may follow a few title lines."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        header: list[str] = []
        for _ in range(_TITLE_LINES + 1):
            header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
            if set(REQUIRED) <= set(header):
                break
        check_header(header, REQUIRED, path.name)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, e.g. at the end of a saved workbook
            values = dict(zip(header, cells, strict=False))
            if len(cells) < len(header):
                problem = ("(row)", f"too few fields: {len(cells)} of {len(header)}")
                yield CsvRow(reader.line_num, values, problem)
                continue
            yield CsvRow(reader.line_num, values)


def report_date(text: str) -> date | None:
    """MM/DD/YYYY (as NPPES writes dates) or YYYY-MM-DD (a spreadsheet's export), else None."""
    text = text.strip()
    found = parse_date(text)
    if found is not None:
        return found.date()
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class _DeactivationLoad:
    """One pass over a report: checked rows to batches of deactivations."""

    def __init__(self, path: Path, report: RejectReport, batch_size: int):
        self.file = path.name
        self.report = report
        self.summary = LoadSummary()
        self.today = datetime.now(UTC).date()
        self.batcher = Batcher(self._save, batch_size)
        self.before = deactivated_npis()  # held and deactivated: absent from the list -> back
        self.seen: set[int] = set()

    def handle(self, row: CsvRow) -> None:
        """Reject a bad row or queue its deactivation."""
        self.summary.read += 1
        if row.problem is not None:
            self._reject(row, *row.problem, row.value)
            return
        npi = row.values.get(NPI, "").strip()
        text = row.values.get(DEACTIVATED, "").strip()
        problem = npi_error(npi)
        if problem:
            self._reject(row, NPI, problem, npi)
            return
        day = report_date(text)
        if day is None:
            self._reject(row, DEACTIVATED, "is not a date (MM/DD/YYYY)", text)
            return
        if day > self.today:
            self._reject(row, DEACTIVATED, "is in the future", text)
            return
        if int(npi) in self.seen:
            self._reject(row, NPI, f"duplicate NPI {npi}: an earlier row in this file has it", npi)
            return
        self.seen.add(int(npi))
        self.before.discard(int(npi))
        self.batcher.add((npi, day))

    def _reject(self, row: CsvRow, field: str, reason: str, value: str = "") -> None:
        self.report.reject(self.file, row.line, field, reason, value)
        self.summary.rejected += 1

    def _save(self, items: list[tuple[str, date]]) -> None:
        self._count(deactivate(dict(items)))

    def _count(self, counts: StatusCounts) -> None:
        self.summary.updated += counts.changed
        self.summary.unchanged += counts.unchanged
        self.summary.out_of_scope += counts.unknown

    def finish(self) -> None:
        """Save the last batch, then bring back deactivated clinicians the list no longer has."""
        self.batcher.flush()
        if self.summary.rejected or not self.before:
            return
        back = Batcher(lambda npis: self._reactivate(npis), self.batcher.size)
        for npi in sorted(self.before):
            back.add(f"{npi:010d}")
        back.flush()

    def _reactivate(self, npis: list[str]) -> None:
        self.summary.updated += reactivate(dict.fromkeys(npis)).changed


def load_nppes_deactivations(
    path: Path, report: RejectReport, batch_size: int = 1000
) -> LoadSummary:
    """Apply a deactivation report; FileRefused (nothing written) on a bad header."""
    path = Path(path)
    rows = read_report(path)
    first = next(rows, None)  # the header is checked here, before the load reads the database
    if first is None:  # an empty full list would bring every deactivated clinician back
        raise FileRefused(f"{path.name}: the report lists no NPI; nothing was loaded")
    load = _DeactivationLoad(path, report, batch_size)
    load.handle(first)
    for row in rows:
        load.handle(row)
    load.finish()
    return load.summary
