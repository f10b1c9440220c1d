"""FHIR input forms: a Bundle, NDJSON files, or a folder of one-resource JSON files.

Every resource comes out as a SourceEntry with the place a reject report points at: the file
(relative to the folder given), and the NDJSON line number, the Bundle entry number (1-based),
or 1 for a one-resource JSON file. An NDJSON resource also says where its line starts, so a
later pass can read it again (NdjsonLines) instead of keeping every parsed resource in memory.
"""

import json
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest.bundle_split import split_array
from ingest.report import FileRefused
from ingest.storable import MAX_JSON_DEPTH, TOO_DEEP, json_fault

_BOM = b"\xef\xbb\xbf"
# Only a JSON escape can put a NUL or a lone surrogate into a parsed string (raw control
# characters are invalid JSON): a line without one needs no walk for them.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
JSON_SUFFIXES = (".json",)


@dataclass
class SourceEntry:
    """One resource as read, or why it could not be read (field, reason, value)."""

    file: str
    line: int
    resource: dict | None
    problem: tuple[str, str, str] | None = None
    at: tuple[Path, int] | None = None  # an NDJSON line: the file and the line's byte offset
    # A resource read but refused (e.g. a NUL in a string): its (type, id), so references to
    # it are dropped like references to any rejected resource, not reported as dangling.
    refused_key: tuple[str, str] | None = None


def input_files(path: Path) -> list[tuple[Path, str]]:
    """The files to read, each with the name reject rows use; folders are walked in name order."""
    if path.is_file():
        return [(path, path.name)]
    suffixes = NDJSON_SUFFIXES + JSON_SUFFIXES
    found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    if not found:
        raise FileRefused(
            f"{path.name}: no .json or .ndjson files in the folder; nothing was loaded"
        )
    return [(p, p.relative_to(path).as_posix()) for p in found]


class FhirSource:
    """Reads the resources of every input file in order, counting bytes for a progress bar."""

    def __init__(self, path: Path):
        self.files = input_files(path)
        self.total_bytes = sum(p.stat().st_size for p, _ in self.files)
        self.bytes_read = 0

    def __iter__(self) -> Iterator[SourceEntry]:
        for path, name in self.files:
            if path.suffix.lower() in NDJSON_SUFFIXES:
                yield from self._ndjson(path, name)
            else:
                yield from _json_document(path, name)
                self.bytes_read += path.stat().st_size

    def _ndjson(self, path: Path, name: str) -> Iterator[SourceEntry]:
        """One resource per line, streamed; blank lines are skipped."""
        with path.open("rb") as handle:
            offset = 0
            for line_no, raw in enumerate(handle, start=1):
                start, offset = offset, offset + len(raw)
                self.bytes_read += len(raw)
                if not raw.removeprefix(_BOM).strip():
                    continue
                entry = _line_entry(name, line_no, raw)
                if entry.problem is None:
                    entry.at = (path, start)
                yield entry


def _line_entry(name: str, line_no: int, raw: bytes) -> SourceEntry:
    """The resource on one NDJSON line, or why it cannot be read."""
    try:
        parsed = _parse_line(raw)
    except UnicodeDecodeError:
        return SourceEntry(name, line_no, None, ("(resource)", "not valid UTF-8", ""))
    except json.JSONDecodeError as err:
        return SourceEntry(name, line_no, None, _invalid_json(err))
    except RecursionError:
        return SourceEntry(name, line_no, None, ("(resource)", TOO_DEEP, ""))
    # Counting brackets is cheap; only a line with enough of them can be too deep.
    deep = raw.count(b"{") + raw.count(b"[") > MAX_JSON_DEPTH
    return _entry(name, line_no, parsed, check=deep or bool(_SUSPECT_ESCAPE.search(raw)))


def _parse_line(raw: bytes):
    """One NDJSON line as JSON (UnicodeDecodeError, json.JSONDecodeError when it is not)."""
    # A UTF-8 BOM starts a file written by many Windows tools, as the CSV reader also allows.
    return json.loads(raw.removeprefix(_BOM).decode("utf-8").strip())


class NdjsonLines:
    """Resources read again from their NDJSON lines; the most recently used are kept parsed."""

    def __init__(self, keep: int = 512):
        self.keep = keep
        self._handles: dict[Path, BinaryIO] = {}
        self._parsed: OrderedDict[tuple[Path, int], dict] = OrderedDict()

    def resource(self, at: tuple[Path, int], kind: str, rid: str) -> dict:
        """The `kind/rid` resource whose line starts at `at`, as the first pass read it."""
        found = self._parsed.get(at)
        if found is not None:
            self._parsed.move_to_end(at)
            return found
        path, offset = at
        handle = self._handles.get(path)
        if handle is None:
            handle = self._handles[path] = path.open("rb")
        handle.seek(offset)
        try:
            found = _entry("", 0, _parse_line(handle.readline()), check=False).resource
        except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
            found = None
        if not found or found.get("resourceType") != kind or str(found.get("id")).strip() != rid:
            # Batches saved before this point stand; a second load finishes the job.
            raise FileRefused(f"{path.name} changed while it was loading; load it again")
        self._parsed[at] = found
        if len(self._parsed) > self.keep:
            self._parsed.popitem(last=False)
        return found

    def close(self) -> None:
        """Close the files opened for reading."""
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        self._parsed.clear()


def _json_document(path: Path, name: str) -> Iterator[SourceEntry]:
    """A one-resource JSON file, or a Bundle whose entries are numbered from 1."""
    try:
        with path.open("rb") as handle:
            parsed = json.load(handle)  # detects UTF-8/16/32 (and a BOM) from the first bytes
    except UnicodeDecodeError:
        yield SourceEntry(name, 1, None, ("(resource)", "not valid UTF-8", ""))
        return
    except json.JSONDecodeError as err:
        yield SourceEntry(name, 1, None, _invalid_json(err))
        return
    except RecursionError:
        yield from _deep_document(path, name)
        return
    if isinstance(parsed, dict) and parsed.get("resourceType") == "Bundle":
        yield from _bundle_entries(name, parsed)
    else:
        yield _entry(name, 1, parsed)


def _deep_document(path: Path, name: str) -> Iterator[SourceEntry]:
    """A document json.load cannot nest into: a Bundle loses only its deep entries."""
    try:
        split = split_array(path.read_bytes().decode("utf-8-sig"), "entry")
    except UnicodeDecodeError:
        split = None  # UTF-16/32: not split; the document is refused as too deep
    except json.JSONDecodeError as err:
        yield SourceEntry(name, 1, None, _invalid_json(err))
        return
    if split is None or split[0].get("resourceType") != "Bundle":
        yield SourceEntry(name, 1, None, ("(resource)", TOO_DEEP, ""))
        return
    for number, text in enumerate(split[1], start=1):
        try:
            item = json.loads(text)
        except RecursionError:
            yield SourceEntry(name, number, None, ("Bundle.entry", TOO_DEEP, ""))
            continue
        except json.JSONDecodeError as err:
            yield SourceEntry(name, number, None, _invalid_json(err))
            continue
        yield _bundle_item(name, number, item)


def _bundle_entries(name: str, bundle: dict) -> Iterator[SourceEntry]:
    """The resources of a Bundle; the Bundle itself is a container, not a resource."""
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        yield SourceEntry(name, 1, None, ("Bundle.entry", "Bundle.entry is not a list", ""))
        return
    for number, item in enumerate(entries, start=1):
        yield _bundle_item(name, number, item)


def _bundle_item(name: str, number: int, item) -> SourceEntry:
    """The resource of one Bundle entry."""
    resource = item.get("resource") if isinstance(item, dict) else None
    if resource is None:
        return SourceEntry(name, number, None, ("Bundle.entry.resource", "no resource", ""))
    return _entry(name, number, resource)


def _entry(name: str, line: int, parsed, check: bool = True) -> SourceEntry:
    """A parsed JSON value as a resource; the narrative is dropped to halve the memory."""
    # With `check`, a resource holding a string the database cannot store (at any depth, keys
    # too) or nested deeper than MAX_JSON_DEPTH is refused with the path of the fault.
    if not isinstance(parsed, dict):
        return SourceEntry(name, line, None, ("(resource)", "not a JSON object", ""))
    parsed.pop("text", None)
    if check:
        kind = parsed.get("resourceType")
        fault = json_fault(
            parsed, kind if isinstance(kind, str) and kind.isalpha() else "(resource)"
        )
        if fault is not None:
            rid = parsed.get("id")
            key = (kind, rid.strip()) if isinstance(kind, str) and isinstance(rid, str) else None
            return SourceEntry(name, line, None, fault, refused_key=key)
    return SourceEntry(name, line, parsed)


def _invalid_json(err: json.JSONDecodeError) -> tuple[str, str, str]:
    return ("(resource)", f"invalid JSON: {err.msg} (line {err.lineno} column {err.colno})", "")
