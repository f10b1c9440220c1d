"""Read a big file in a second process while this one saves what has already been read.

Reading, filtering and parsing a national NPPES file costs about half of what saving its
in-scope rows does: on two cores the two overlap. The child only reads (it never touches the
database); its rows reach this process in file order, a batch a message, through a pipe that
a thread here keeps drained into a queue of at most `AHEAD` batches: the child runs up to that
far ahead while this process saves, and no further.
"""

import multiprocessing
import os
import pickle
import queue as queues
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

Row = TypeVar("Row")

BATCH = 64  # rows a message: one pickle per batch names the columns once
AHEAD = 256  # batches in flight: the child reads on while this process saves
MIN_BYTES = 32 << 20  # below this, starting a child costs more than it saves


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


class ReadAhead:
    """What `rows()` yields, computed in a forked child started now; iterated once, then closed."""

    def __init__(self, rows: Callable[[], Iterator[Row]]):
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.child = context.Process(target=_produce, args=(rows, sending), daemon=True)
        self.child.start()  # before the thread below: fork() copies only the calling thread
        sending.close()  # the child holds the only writing end: EOF here once it is gone
        self.arrived: queues.Queue = queues.Queue(AHEAD)
        self.stop = threading.Event()
        self.drain = threading.Thread(
            target=_drain, args=(self.receiving, self.arrived, self.stop), daemon=True
        )
        self.drain.start()
        self.closed = False

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __iter__(self) -> Iterator[Row]:
        """The rows in file order; the child's exception raised here, after the rows before it."""
        try:
            while True:
                message = self.arrived.get()
                if message is None:
                    raise ReadingFailed(
                        f"the reading process ended (exit code {_exit_code(self.child)}) "
                        "before the end of the file"
                    )
                kind, payload = pickle.loads(message)
                if kind == "end":
                    return
                if kind == "error":
                    raise payload
                yield from payload
        finally:
            self.close()

    def close(self) -> None:
        """End the child (still reading when this side stopped early) and the draining thread."""
        if self.closed:
            return
        self.closed = True
        self.stop.set()
        if self.child.is_alive():
            self.child.terminate()  # this side stopped early: a refused file, a cancelled run
        self.child.join()
        self.drain.join()
        self.receiving.close()


def _exit_code(child) -> int | None:
    child.join()
    return child.exitcode


def _drain(receiving, arrived: queues.Queue, stop: threading.Event) -> None:
    """In a thread here: move the child's messages, as bytes, from the pipe to `arrived`."""
    while not stop.is_set():
        try:
            message = receiving.recv_bytes()
        except (EOFError, OSError):
            message = None  # the child is gone; an end marker, if sent, came before
        while not stop.is_set():
            try:
                arrived.put(message, timeout=0.1)
                break
            except queues.Full:
                continue
        if message is None:
            return


def _produce(rows: Callable[[], Iterator[Row]], sending) -> None:
    """In the child: every row in batches, then an end marker, or the exception instead."""
    # Ctrl-C reaches the whole process group: the loading process decides, and ends this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            _send_rows(rows(), sending)
            end = ("end", None)
        except BrokenPipeError:
            raise
        except Exception as error:  # noqa: BLE001 - raised again in the parent, as it was
            end = ("error", _picklable(error))
        _send(sending, end)
    except BrokenPipeError:
        pass  # the parent stopped reading: nobody is left to tell
    finally:
        sending.close()


def _send_rows(rows: Iterator[Row], sending) -> None:
    """Send `rows` a batch at a time; the rows read before a failure go first."""
    batch: list = []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                _send(sending, ("rows", batch))
                batch = []
    finally:
        if batch:
            _send(sending, ("rows", batch))


def _send(sending, message: tuple) -> None:
    sending.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _picklable(error: Exception) -> Exception:
    """`error` itself when it can cross to the parent, else a ReadingFailed that names it."""
    try:
        pickle.dumps(error)
    except Exception:  # noqa: BLE001 - any failure to pickle means: describe it instead
        return ReadingFailed(f"reading the file failed: {type(error).__name__}: {error}")
    return error
