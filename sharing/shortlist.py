"""The shortlist itself: at most five NPIs, in the order they were saved, nothing else.

Only NPIs are kept (no needs, no search, nothing about the visitor), so the list may live in
the browser's signed session cookie. Anything else found there is dropped when read.
"""

from __future__ import annotations

from collections.abc import Iterable

from directory.npi import is_valid_npi

MAX_ENTRIES = 5


class ShortlistFull(Exception):
    """A sixth clinician: the list holds MAX_ENTRIES."""


def clean(stored: object) -> list[str]:
    """The valid NPIs of a stored value, without repeats, at most MAX_ENTRIES."""
    if not isinstance(stored, list | tuple):
        return []
    kept: list[str] = []
    for npi in stored:
        if isinstance(npi, str) and is_valid_npi(npi) and npi not in kept:
            kept.append(npi)
    return kept[:MAX_ENTRIES]


def add(npis: Iterable[str], npi: str) -> list[str]:
    """The list with `npi` at the end (unchanged when already there); ShortlistFull past five."""
    kept = clean(list(npis))
    if npi in kept:
        return kept
    if len(kept) >= MAX_ENTRIES:
        raise ShortlistFull(npi)
    return [*kept, npi]


def remove(npis: Iterable[str], npi: str) -> list[str]:
    """The list without `npi`."""
    return [n for n in clean(list(npis)) if n != npi]
