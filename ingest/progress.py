"""A progress bar on a terminal, silence elsewhere (CI logs, tests)."""

import sys

import click


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

    def advance_to(self, done: int) -> None:
        """Move the bar to `done` units."""
        if self._bar is not None and done > self._done:
            self._bar.update(done - self._done)
        self._done = max(done, self._done)

    def __enter__(self):
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
