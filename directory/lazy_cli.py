"""CLI groups imported when the CLI runs them, so serving never loads their libraries."""

from collections.abc import Callable

import click


class LazyGroup(click.Group):
    """Stands in for the group `load()` returns; `flask --help` lists it without loading it."""

    def __init__(self, name: str, load: Callable[[], click.Group], help: str):
        super().__init__(name, help=help)
        self.load = load

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        """Parse with the real group, so its options, callback and subcommands all apply."""
        # click runs `context.command`, which is now the real group, not this stand-in.
        return self.load().make_context(info_name, args, parent=parent, **extra)
