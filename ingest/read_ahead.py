"""Read a big file in a second process while this one saves what has already been read.

Reading, filtering and parsing a national NPPES file costs about half of what saving its
in-scope rows does: on two cores the two overlap. The child only reads (it never touches the
database); its rows reach this process in file order, a batch a message, through a queue of
at most `AHEAD` batches, so it runs a few thousand rows ahead and no further.
"""

import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from queue import Empty
from typing import TypeVar

Row = TypeVar("Row")

BATCH = 64  # rows a message: one pickle per batch names the columns once
AHEAD = 64  # batches in flight: the child reads on while this process saves
MIN_BYTES = 32 << 20  # below this, starting a child costs more than it saves
PATIENCE = 1.0  # seconds between checks that a silent child is still there


class ReadingFailed(RuntimeError):
    """The reading process ended without finishing the file (killed, out of memory)."""


def worth_a_child(size: int) -> bool:
    """True when reading `size` bytes in a second process should pay for itself."""
    # fork() copies only the calling thread: a lock another thread holds would stay held in
    # the child for good, so a load running beside other threads (an admin-page run) reads
    # in process.
    return (
        size >= MIN_BYTES
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def read_ahead(rows: Callable[[], Iterator[Row]]) -> Iterator[Row]:
    """Yield what `rows()` yields, computed in a forked child; its exception raised here."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(AHEAD)
    child = context.Process(target=_produce, args=(rows, queue), daemon=True)
    child.start()
    try:
        while True:
            kind, payload = _next(queue, child)
            if kind == "end":
                return
            if kind == "error":
                raise payload
            yield from payload
    finally:
        if child.is_alive():
            child.terminate()  # this side stopped early: a refused file, a cancelled run
        child.join()
        queue.close()


def _next(queue, child) -> tuple[str, object]:
    """The child's next message; ReadingFailed once it is gone without its last one."""
    while True:
        try:
            return queue.get(timeout=PATIENCE)
        except Empty:
            if not child.is_alive():
                break
    try:
        return queue.get(timeout=PATIENCE)  # sent just before it ended
    except Empty:
        raise ReadingFailed(
            f"the reading process ended (exit code {child.exitcode}) before the end of the file"
        ) from None


def _produce(rows: Callable[[], Iterator[Row]], queue) -> None:
    """In the child: every row in batches, then an end marker, or the exception instead."""
    batch: list = []
    try:
        for row in rows():
            batch.append(row)
            if len(batch) == BATCH:
                queue.put(("rows", batch))
                batch = []
        end = ("end", None)
    except Exception as error:  # noqa: BLE001 - raised again in the parent, as it was
        end = ("error", _picklable(error))
    if batch:  # the rows read before the end (or the failure) come first
        queue.put(("rows", batch))
    queue.put(end)
    queue.close()
    queue.join_thread()  # all of it in the pipe before the child exits


def _picklable(error: Exception) -> Exception:
    """`error` itself when it can cross to the parent, else a ReadingFailed that names it."""
    try:
        pickle.dumps(error)
    except Exception:  # noqa: BLE001 - any failure to pickle means: describe it instead
        return ReadingFailed(f"reading the file failed: {type(error).__name__}: {error}")
    return error
