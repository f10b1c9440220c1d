"""How to tell a file's kind from its first bytes: the shapes the ingest kinds (ingest.kinds) name.

Shapes name their column or type lists by import string ('module:NAME'), each kept beside
its loader: the registry is read by every web worker, which must not import the loaders.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from werkzeug.utils import import_string

from ingest.fhir_files import input_files
from ingest.headers import first_line_header, missing_columns
from ingest.report import FileRefused

_SNIFF_BYTES = 1 << 16  # what is read to tell a file's kind: a header line, a first resource
_RESOURCE_TYPE = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]+)"')
_JSON_KEY = re.compile(rb'"([A-Za-z_0-9]+)"\s*:')


class FileShape(Protocol):
    """How to tell, from its first bytes, that a file (or folder) is of a kind."""

    def matches(self, path: Path) -> bool:
        """True when `path` looks like this kind of input."""


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
