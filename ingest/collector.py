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
