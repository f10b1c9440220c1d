"""A Bundle too deeply nested for json.load, split into its entries without recursion.

json.load raises RecursionError on the whole document when one entry nests ~1,000 levels, so
one hostile entry would cost every other. Here the text is scanned once, structural characters
only (strings skipped by the C scanner), to find the items of the top-level "entry" array;
each item is then parsed on its own and only the deep one fails.
"""

import json
import re
from json.decoder import scanstring

_STRUCTURE = re.compile(r'[{}\[\]",:]')


class _Scan:
    """The state of one pass over the document."""

    def __init__(self, text: str, key: str):
        self.text = text
        self.key = key
        self.depth = 0
        self.last_string: str | None = None  # the last string read at depth 1 (a key, maybe)
        self.key_seen = False  # the last key at depth 1 was `key`
        self.start: int | None = None  # where the array's text starts ('[')
        self.end: int | None = None  # where it ends (']')
        self.item_start = 0
        self.items: list[str] = []

    def structure(self, char: str, at: int) -> None:
        """Follow one structural character outside strings."""
        if char == ":" and self.depth == 1:
            self.key_seen = self.last_string == self.key
        elif char in "{[":
            if char == "[" and self.depth == 1 and self.key_seen and self.start is None:
                self.start, self.item_start = at, at + 1
            self.depth += 1
        elif char in "}]":
            self.depth -= 1
            if char == "]" and self.depth == 1 and self._inside():
                self._item(at)
                self.end = at
        elif char == ",":
            if self.depth == 2 and self._inside():
                self._item(at)
            elif self.depth == 1:
                self.key_seen = False

    def _inside(self) -> bool:
        return self.start is not None and self.end is None

    def _item(self, at: int) -> None:
        self.items.append(self.text[self.item_start : at])
        self.item_start = at + 1


def split_array(text: str, key: str) -> tuple[dict, list[str]] | None:
    """(the top-level object with `key`'s array emptied, the array's items as text), or None."""
    # None when the document is no object with such an array; json.JSONDecodeError when what
    # is left around the array is not JSON.
    scan = _Scan(text, key)
    position = 0
    while (found := _STRUCTURE.search(text, position)) is not None:
        char, at = found.group(), found.start()
        if char == '"':
            value, position = scanstring(text, at + 1)
            if scan.depth == 1:
                scan.last_string = value
            continue
        scan.structure(char, at)
        position = at + 1
    if scan.start is None or scan.end is None:
        return None
    shell = json.loads(text[: scan.start + 1] + text[scan.end :])
    if not isinstance(shell, dict):
        return None
    return shell, [item for item in scan.items if item.strip()]
