"""Text the database cannot store, found before a save: NUL characters, lone surrogates, deep JSON.

PostgreSQL text cannot hold U+0000 (SQLite can, so a load would differ by database); no UTF-8
encoder takes a lone surrogate, which only a JSON escape such as \\ud800 can produce. Every
string a loader reads passes one of these checks: CSV rows in ingest.reading, FHIR resources
(keys and values at any depth) in ingest.fhir_files.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Deeper than any real FHIR resource (extensions in extensions reach ~10 levels); walking or
# saving a deeper one costs stack, and 50k levels would raise RecursionError.
MAX_JSON_DEPTH = 100
TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
_PATH_SHOWN = 12  # path components named in a reject; deeper ones are elided


def text_fault(text: str) -> str | None:
    """Why the database cannot store `text`, or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (0x00), which the database cannot store"
    return f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not valid text"


def visible(text: str) -> str:
    """`text` with NULs and lone surrogates written out (\\x00, \\ud800), for reports."""
    return _UNSTORABLE.sub(_escape, text)


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    return "\\x00" if code == 0 else f"\\u{code:04x}"


def row_fault(values: dict[str, str]) -> tuple[str, str, str] | None:
    """(column, reason, value) of the first cell the database cannot store, or None."""
    for column, value in values.items():
        reason = text_fault(value) or text_fault(column)
        if reason:
            return column, reason, visible(value)
    return None


def json_fault(value, root: str) -> tuple[str, str, str] | None:
    """(path, reason, value) of the first unstorable string or too-deep nesting, or None."""
    # Iterative, so a 50k-level document costs no stack. Paths read like FHIR element paths:
    # 'Practitioner.name[0].given[1]'.
    stack: list[tuple[object, int, tuple | None]] = [(value, 1, None)]
    while stack:
        node, depth, link = stack.pop()
        if isinstance(node, str):
            reason = text_fault(node)
            if reason:
                return _path(root, link), reason, visible(node)
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            return "(resource)", TOO_DEEP, ""
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children = []
        for key, item in items:
            if isinstance(key, str) and text_fault(key):
                return _path(root, (link, key)), text_fault(key), visible(key)
            children.append((item, depth + 1, (link, key)))
        stack.extend(reversed(children))  # document order
    return None


def _path(root: str, link: tuple | None) -> str:
    """'Practitioner.name[0].family' from the chain of (parent link, key) pairs."""
    keys = []
    while link is not None:
        link, key = link
        keys.append(key)
    keys.reverse()
    shown = [f"[{k}]" if isinstance(k, int) else f".{visible(k)}" for k in keys[:_PATH_SHOWN]]
    return root + "".join(shown) + (".…" if len(keys) > _PATH_SHOWN else "")
