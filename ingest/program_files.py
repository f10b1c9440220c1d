"""JSON program files: one object, a list, a page ({"contents"}/{"rows"}) or NDJSON, numbered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.report import FileRefused

LIST_KEYS = ("contents", "rows")  # an HSDS API page; a FindTreatment API response


@dataclass
class Entry:
    """One object of a file: 'Record N' in a document, 'Line N' in NDJSON, or why unreadable."""

    label: str
    number: int
    item: dict | None
    problem: str | None = None


def read_entries(path: Path) -> Iterator[Entry]:
    """Every object of `path`; FileRefused when the file is empty or not JSON at all."""
    text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise FileRefused(f"{path.name}: the file is empty; nothing was loaded")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        yield from _ndjson(path, text)
        return
    if isinstance(document, dict):
        listed = next((document[k] for k in LIST_KEYS if isinstance(document.get(k), list)), None)
        document = listed if listed is not None else [document]
    if not isinstance(document, list):
        raise FileRefused(f"{path.name}: expected a JSON object or list; nothing was loaded")
    for number, item in enumerate(document, start=1):
        yield _entry("Record", number, item)


def _ndjson(path: Path, text: str) -> Iterator[Entry]:
    lines = text.splitlines()
    if len(lines) < 2 and lines:
        raise FileRefused(f"{path.name}: not JSON or NDJSON; nothing was loaded")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            yield Entry("Line", number, None, f"not JSON: {err.msg}")
            continue
        yield _entry("Line", number, item)


def _entry(label: str, number: int, item) -> Entry:
    if not isinstance(item, dict):
        return Entry(label, number, None, "expected a JSON object")
    return Entry(label, number, item)
