"""Streaming CSV reading with physical line numbers, encoding checks and header checks."""

import csv
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from ingest.report import FileRefused
from ingest.storable import row_fault

# NPPES rows run to ~10 kB; the default 128 kB field limit is fine, but be explicit.
csv.field_size_limit(1 << 20)


@dataclass(slots=True)
class CsvRow:
    """One CSV record: its first physical line, its values by header, or why it is unreadable."""

    line: int
    values: dict[str, str]
    problem: tuple[str, str] | None = None  # (field, reason)
    value: str = ""  # the faulty cell, printable, when `problem` names one
    text_only: bool = False  # every field is there; only its text is unusable (bytes, NUL)
    bytes_read: int = 0  # file position after this record, for progress bars
    # How many one-line records from `line` on `may_keep` turned down, unparsed: one CsvRow
    # per run, as most rows of a big file are skipped and a CsvRow costs more than the skip.
    skipped: int = 0

    def __reduce__(self):
        # Pickled to the loading process as its constructor's arguments: a run of skipped
        # rows in 21 bytes, not the 42 of its slots by name (most rows of a big file).
        values = (self.values, self.problem, self.value, self.text_only, self.bytes_read)
        return CsvRow, (self.line, *values, self.skipped)


class _LineSource:
    """Decodes a binary file line by line, remembering lines that are not UTF-8."""

    def __init__(self, handle):
        self._handle = handle
        self.line_no = 0
        self.bad_lines: set[int] = set()
        self.nul_lines: set[int] = set()  # PostgreSQL text cannot hold them: checked per cell
        self.last_line_complete = True
        self.last_line_unbalanced = False
        self.bytes_read = 0
        self.may_keep: Callable[[bytes], bool] | None = None
        self.skipped: list[int] = []

    def __iter__(self) -> Iterator[str]:
        # State lives in locals while lines are skipped (attribute writes on each of millions
        # of skipped lines add up); it is published before each yield and at the end.
        may_keep, skipped = self.may_keep, self.skipped
        line_no, read = self.line_no, self.bytes_read
        complete, unbalanced = self.last_line_complete, self.last_line_unbalanced
        in_quotes = False  # inside a quoted field that spans lines
        for raw in self._handle:
            line_no += 1
            read += len(raw)
            complete = raw.endswith(b"\n")
            unbalanced = raw.count(b'"') % 2 == 1
            starts_record = not in_quotes
            in_quotes ^= unbalanced
            # A complete one-line record that `may_keep` turns down is never parsed. Blank
            # lines stay with the csv reader, which drops them without counting a record;
            # isspace(), not strip(): no copy of a 1 kB line just to see it is not blank.
            if (
                starts_record
                and not in_quotes
                and complete
                and may_keep is not None
                and not raw.isspace()
                and not may_keep(raw)
            ):
                skipped.append(line_no)
                continue
            self._publish(line_no, read, complete, unbalanced)
            yield self._decode(raw)
            may_keep, skipped = self.may_keep, self.skipped  # the reader's caller sets them
        self._publish(line_no, read, complete, unbalanced)

    def _publish(self, line_no: int, read: int, complete: bool, unbalanced: bool) -> None:
        """Where the loop is, for the reader's caller (line numbers, progress, the last line)."""
        self.line_no, self.bytes_read = line_no, read
        self.last_line_complete, self.last_line_unbalanced = complete, unbalanced

    def _decode(self, raw: bytes) -> str:
        """The line as text; NUL bytes and invalid UTF-8 remembered by line number."""
        if b"\x00" in raw:  # memchr: free beside the parse
            self.nul_lines.add(self.line_no)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.bad_lines.add(self.line_no)
            return raw.decode("utf-8", errors="replace")


def check_header(header: list[str], required: Iterable[str], file_name: str) -> None:
    """Refuse the file when a required column is missing."""
    missing = [c for c in required if c not in header]
    if missing:
        raise FileRefused(
            f"{file_name}: missing required column(s): {', '.join(missing)}; nothing was loaded"
        )


def read_csv(
    path: str | Path,
    required: Iterable[str] = (),
    may_keep: Callable[[bytes], bool] | None = None,
    columns: Collection[str] | None = None,
) -> Iterator[CsvRow]:
    """Yield CsvRow for every record after the header; columns are found by header name.

    `columns`: the only ones each row's values keep (its checks still see every field).
    """
    # may_keep(raw line) False: a one-line record is counted as skipped, unparsed (10x cheaper).
    path = Path(path)
    # 64 KiB reads: the default buffer (one 4 KiB page) costs a read() call per 3 NPPES lines.
    with path.open("rb", buffering=1 << 16) as handle:
        source = _LineSource(handle)
        reader = csv.reader(source)
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        except StopIteration:
            raise FileRefused(f"{path.name}: the file is empty; nothing was loaded") from None
        check_header(header, required, path.name)
        source.may_keep = may_keep
        yield from _records(reader, source, _Header(header, columns))


class _Header:
    """The header's names, and how a record's fields become its values."""

    def __init__(self, names: list[str], columns: Collection[str] | None):
        self.names = names
        self._kept = None if columns is None else frozenset(n for n in names if n in columns)
        positions = [p for p, n in enumerate(names) if self._kept is None or n in self._kept]
        self._kept_names = [names[p] for p in positions]
        # One C call for a whole record (NPPES's loader uses a sixth of its 330 fields).
        self._pick = itemgetter(*positions) if len(positions) > 1 else None

    def values(self, fields_: list[str]) -> dict[str, str]:
        """The kept columns' values; as with dict(zip(...)), a repeated name keeps its last."""
        if self._kept is None:
            return dict(zip(self.names, fields_, strict=False))
        if self._pick is None or len(fields_) != len(self.names):
            return {n: v for n, v in zip(self.names, fields_, strict=False) if n in self._kept}
        return dict(zip(self._kept_names, self._pick(fields_), strict=True))


def _records(reader, source: _LineSource, columns: _Header) -> Iterator[CsvRow]:
    """Turn csv records into CsvRow with the faults a loader must report."""
    start = source.line_no + 1
    while True:
        try:
            fields_ = next(reader)
        except StopIteration:
            yield from _skipped_rows(source)
            return
        except csv.Error as err:
            start = _skipped_start(source, start)
            yield from _skipped_rows(source)
            yield CsvRow(start, {}, ("(row)", f"unreadable CSV: {err}"))
            start = source.line_no + 1
            continue
        start = _skipped_start(source, start)
        yield from _skipped_rows(source)
        end = source.line_no
        if fields_ or end > start:
            row = _row(start, end, fields_, columns, source)
            row.bytes_read = source.bytes_read
            yield row
        start = end + 1


def _skipped_start(source: _LineSource, start: int) -> int:
    """Where the record just read starts, after the lines skipped before it."""
    return source.skipped[-1] + 1 if source.skipped else start


def _skipped_rows(source: _LineSource) -> Iterator[CsvRow]:
    """The runs of consecutive records skipped unparsed since the last call, in file order."""
    lines, source.skipped = source.skipped, []
    start = count = 0
    for line in lines:
        if line == start + count:
            count += 1
            continue
        if count:
            yield CsvRow(start, {}, bytes_read=source.bytes_read, skipped=count)
        start, count = line, 1
    if count:
        yield CsvRow(start, {}, bytes_read=source.bytes_read, skipped=count)


def _row(start: int, end: int, fields_: list[str], columns: _Header, source: _LineSource) -> CsvRow:
    """One record with its first fault, if any."""
    values, header = columns.values(fields_), columns.names
    at_eof = end == source.line_no and not source.last_line_complete
    if at_eof and source.last_line_unbalanced:
        return CsvRow(start, values, ("(row)", "truncated last line: unterminated quoted field"))
    if any(n in source.bad_lines for n in range(start, end + 1)):
        return CsvRow(start, values, ("(row)", "not valid UTF-8 text"), text_only=True)
    if len(fields_) < len(header):
        reason = "truncated last line" if at_eof else "too few fields"
        return CsvRow(start, values, ("(row)", f"{reason}: {len(fields_)} of {len(header)} fields"))
    if len(fields_) > len(header):
        return CsvRow(start, values, ("(row)", f"too many fields: {len(fields_)} of {len(header)}"))
    if source.nul_lines and any(n in source.nul_lines for n in range(start, end + 1)):
        fault = row_fault(dict(zip(header, fields_, strict=True)))  # a NUL in any field
        if fault is not None:
            return CsvRow(start, values, fault[:2], value=fault[2], text_only=True)
    return CsvRow(start, values)
