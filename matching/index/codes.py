"""Sets of codes as bit masks: a CodeBook numbers the codes, a CodeColumn holds one set a row.

Languages, networks, taxonomies, concerns... are small vocabularies, so "speaks one of these",
"in one of these networks" or "lists none of these" become a bitwise AND over a whole column.
Books are built from the data (a code no row holds has no bit and so matches nothing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np

_WIDTHS = ((8, np.uint8), (16, np.uint16), (32, np.uint32), (64, np.uint64))


class CodeBook:
    """Codes of one kind, numbered in the order first seen."""

    def __init__(self, codes: Iterable[str] = ()):
        self.bits: dict[str, int] = {}
        self._decoded: dict[int, frozenset[str]] = {}
        for code in codes:
            self.bit(code)

    def __len__(self) -> int:
        return len(self.bits)

    def bit(self, code: str) -> int:
        """The code's bit, numbering it when new."""
        found = self.bits.get(code)
        if found is None:
            found = self.bits[code] = len(self.bits)
        return found

    def mask(self, codes: Iterable[str]) -> int:
        """The bits of the codes this book knows, as one integer (unknown codes add nothing)."""
        value = 0
        for code in codes:
            bit = self.bits.get(code)
            if bit is not None:
                value |= 1 << bit
        return value

    def knows_all(self, codes: Iterable[str]) -> bool:
        """True when every code has a bit (a required code no row holds matches nothing)."""
        return all(code in self.bits for code in codes)

    def codes(self, value: int) -> frozenset[str]:
        """The codes whose bits are set in `value` (rows share few distinct sets: cached)."""
        found = self._decoded.get(value)
        if found is None:
            found = frozenset(code for code, bit in self.bits.items() if value >> bit & 1)
            self._decoded[value] = found
        return found

    def matching(self, keep) -> list[str]:
        """Codes for which keep(code) is true."""
        return [code for code in self.bits if keep(code)]


def _dtype(bits: int):
    for width, dtype in _WIDTHS:
        if bits <= width:
            return dtype
    return None


class CodeColumn:
    """One code set per row: a 1-D unsigned column, or uint64 words when the book is large."""

    def __init__(self, values: np.ndarray, book: CodeBook):
        self.values, self.book = values, book

    @classmethod
    def from_masks(cls, masks: list[int] | np.ndarray, book: CodeBook) -> CodeColumn:
        """A column from one integer mask per row."""
        dtype = _dtype(len(book))
        if dtype is not None:
            return cls(np.asarray(masks, dtype=np.uint64).astype(dtype), book)
        words = -(-len(book) // 64)
        table = np.zeros((len(masks), words), dtype=np.uint64)
        for w in range(words):
            table[:, w] = [int(m) >> (64 * w) & 0xFFFFFFFFFFFFFFFF for m in masks]
        return cls(table, book)

    @classmethod
    def from_pairs(cls, count: int, rows: np.ndarray, bits: np.ndarray, book: CodeBook):
        """A column of `count` rows where row rows[i] holds the code numbered bits[i]."""
        dtype = _dtype(len(book))
        if dtype is not None:
            values = np.zeros(count, dtype=np.uint64)
            np.bitwise_or.at(values, rows, np.left_shift(np.uint64(1), bits.astype(np.uint64)))
            return cls(values.astype(dtype), book)
        words = -(-len(book) // 64)
        values = np.zeros((count, words), dtype=np.uint64)
        for w in range(words):
            here = (bits >= 64 * w) & (bits < 64 * (w + 1))
            shifted = np.left_shift(np.uint64(1), (bits[here] - 64 * w).astype(np.uint64))
            np.bitwise_or.at(values[:, w], rows[here], shifted)
        return cls(values, book)

    def take(self, rows: np.ndarray) -> CodeColumn:
        """The column of the given rows, in that order."""
        return CodeColumn(self.values[rows], self.book)

    def __len__(self) -> int:
        return len(self.values)

    def _mask(self, value: int) -> np.ndarray:
        if self.values.ndim == 1:
            return np.array(value, dtype=self.values.dtype)
        words = self.values.shape[1]
        return np.array([value >> (64 * w) & 0xFFFFFFFFFFFFFFFF for w in range(words)], np.uint64)

    def overlaps(self, rows: np.ndarray, value: int) -> np.ndarray:
        """Per row: holds any of the bits in `value`."""
        if not value:
            return np.zeros(len(rows), dtype=bool)
        hit = self.values[rows] & self._mask(value)
        return hit != 0 if hit.ndim == 1 else hit.any(axis=1)

    def holds_any(self, value: int) -> np.ndarray:
        """Per row of this whole column (a take() of the rows wanted): overlaps without a gather."""
        if not value:
            return np.zeros(len(self.values), dtype=bool)
        hit = self.values & self._mask(value)
        return hit != 0 if hit.ndim == 1 else hit.any(axis=1)

    def covers(self, rows: np.ndarray, value: int) -> np.ndarray:
        """Per row: holds every bit in `value`."""
        mask = self._mask(value)
        hit = self.values[rows] & mask
        return hit == mask if hit.ndim == 1 else (hit == mask).all(axis=1)

    def empty(self, rows: np.ndarray) -> np.ndarray:
        """Per row: holds no code."""
        held = self.values[rows]
        return held == 0 if held.ndim == 1 else ~held.any(axis=1)

    def value(self, row: int) -> int:
        """One row's mask as an integer."""
        held = self.values[row]
        if self.values.ndim == 1:
            return int(held)
        return sum(int(word) << (64 * w) for w, word in enumerate(held))

    def codes(self, row: int) -> frozenset[str]:
        """One row's codes."""
        return self.book.codes(self.value(row))

    @property
    def nbytes(self) -> int:
        """Memory held by the column."""
        return self.values.nbytes


def either(a: CodeColumn, rows_a: np.ndarray, b: CodeColumn, rows_b: np.ndarray, value: int):
    """Per row pair: a's set or b's set holds one of the bits (the books must be the same)."""
    return a.overlaps(rows_a, value) | b.overlaps(rows_b, value)


class JsonCodes:
    """JSON array texts -> a small id per distinct text, and each id's codes in one book."""

    def __init__(self, book: CodeBook):
        self.book, self.ids, self.masks = book, {}, []

    def __call__(self, raw: str | None) -> int:
        """The id of `raw` (decoded the first time it is seen)."""
        found = self.ids.get(raw)
        if found is None:
            codes = json.loads(raw) if raw else None
            found = self.ids[raw] = len(self.masks)
            self.masks.append(sum({1 << self.book.bit(c) for c in codes or ()}))
        return found

    def column(self, ids: np.ndarray) -> CodeColumn:
        """The code column for rows holding these text ids."""
        return CodeColumn.from_masks(self.masks or [0], self.book).take(ids)
