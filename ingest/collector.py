"""The cyclic garbage collector during a long load."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def earlier_objects_frozen() -> Iterator[None]:
    """Leave the objects that existed before the load out of the collector's full passes."""
    # A load makes millions of short-lived objects, so full collections come every few
    # batches, and each rescanned the app's ~120k long-lived ones (models, vocabularies,
    # SQLAlchemy): ~8% of an NPPES load. Frozen objects are only skipped, never freed.
    if gc.get_freeze_count():  # someone else froze objects (e.g. before a fork): theirs to undo
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# How many new objects the collector lets pile up before it looks at the youngest ones: 700
# by default. A load's objects nearly all die young by reference counting, so a look every
# 700 finds little; one every 20,000 halves what the NPPES loading process spends collecting
# (callgrind), for at most 20,000 objects more alive at once.
LOAD_YOUNG_THRESHOLD = 20_000


@contextmanager
def young_collections_spaced() -> Iterator[None]:
    """Collect the youngest generation every LOAD_YOUNG_THRESHOLD new objects in this block."""
    before = gc.get_threshold()
    if 0 < before[0] < LOAD_YOUNG_THRESHOLD:  # 0: collection turned off; more: left as set
        gc.set_threshold(LOAD_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
