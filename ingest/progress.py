"""How far a load has got: a progress bar on a terminal, and beats for whoever listens.

An admin-page run listens (see console.ingest_runs): each committed batch, and each move of the
bar at most every few seconds, is a beat it records in the database as progress and heartbeat.
"""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import click

# Called with committed=True after each batch commits, False as the bar moves; None: nobody.
_listener: ContextVar[Callable[[bool], None] | None] = ContextVar("ingest_beat", default=None)
BAR_BEAT_SECONDS = 2.0  # beats from the bar (reading, skipping) come at most this often


@contextmanager
def listening(callback: Callable[[bool], None]) -> Iterator[None]:
    """Send this context's beats to `callback`; the callback may raise to stop the load."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


def beat(committed: bool = True) -> None:
    """Tell the listener, if any, that the load moved on (called after each committed batch)."""
    callback = _listener.get()
    if callback is not None:
        callback(committed)


class Progress:
    """Progress over a known total (bytes of a file, or a count of resources)."""

    def __init__(self, total: int, label: str, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = (
            click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            if self.enabled
            else None
        )
        self._done = 0
        self._beaten = time.monotonic()

    def advance_to(self, done: int) -> None:
        """Move the bar to `done` units (and beat, at most every BAR_BEAT_SECONDS)."""
        if self._bar is not None and done > self._done:
            self._bar.update(done - self._done)
        self._done = max(done, self._done)
        now = time.monotonic()
        if now - self._beaten >= BAR_BEAT_SECONDS:
            self._beaten = now
            beat(committed=False)

    def __enter__(self):
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
