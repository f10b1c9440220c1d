"""An NPPES file's rows, read and prepared for the load that saves them; no database here.

A big file is read in a second process (ingest.read_ahead). `python -m batch ingest nppes`
begins that reading as soon as its command line names the file, before the process imports
the system of record, so the reading overlaps the start-up; the load then takes the reading
begun for its file, or starts one.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing
from functools import partial
from pathlib import Path

from ingest.nppes_fields import REQUIRED, USED
from ingest.nppes_rows import Prepared, prepared
from ingest.nppes_scope import Scope
from ingest.read_ahead import ReadAhead, worth_a_child
from ingest.reading import CsvRow, read_csv

NppesRows = Iterator[tuple[CsvRow, Prepared | None]]

_begun: dict[Path, ReadAhead] = {}  # by resolved path: readings begun, not yet taken


def nppes_rows(path: Path, scope: Scope) -> NppesRows:
    """Every row of `path` with what the load needs of it (see nppes_rows.prepare)."""
    # Only the columns the load uses become values (a sixth of them: less to pass on).
    rows = read_csv(path, REQUIRED, may_keep=scope.raw_filter(path), columns=USED)
    return prepared(rows, scope)


def begin_reading(path: Path) -> Callable[[], None]:
    """Start reading `path` in a second process now, when worth it; returns what ends it unused."""
    key = Path(path).resolve()
    if key in _begun or not worth_a_child(key.stat().st_size):
        return _nothing
    _begun[key] = ReadAhead(partial(nppes_rows, key, Scope()))
    return partial(_end_unused, key)


def nppes_reading(path: Path, scope: Scope) -> AbstractContextManager[NppesRows]:
    """The rows of `path`: the reading begun for it, else one started now (closed on exit)."""
    path = Path(path)
    begun = _begun.pop(path.resolve(), None)
    if begun is not None:
        return begun
    if worth_a_child(path.stat().st_size):
        return ReadAhead(partial(nppes_rows, path, scope))
    return closing(nppes_rows(path, scope))


def _end_unused(key: Path) -> None:
    """A reading begun for a load that never took it (a refused file, a crash): stop it."""
    reading = _begun.pop(key, None)
    if reading is not None:
        reading.close()


def _nothing() -> None:
    """Nothing was begun: nothing to end."""
