"""`flask ingest KIND FILE`: load a file into the system of record, one subcommand per kind.

The subcommands come from the registry (ingest.kinds). Exit status: 0 loaded; 3 every row in
scope, or more than --max-reject-rate of them, rejected (the good ones still loaded); 4 the file
was refused and nothing loaded (empty, a required column missing, a file of another kind).
1 is a crash, 2 a usage error.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from werkzeug.utils import import_string

from ingest.kinds import KINDS, IngestKind, load_file
from ingest.report import (
    DEFAULT_MAX_REJECT_RATE,
    ExitStatus,
    FileRefused,
    LoadSummary,
    RejectReport,
)

EXIT_STATUS_HELP = (
    "Exit status: 0 loaded; 3 every row in scope, or more than --max-reject-rate of them, "
    "rejected (the good rows still load); 4 the file was refused and nothing was loaded "
    "(empty, a required column missing, or a file of another kind)."
)
ingest_cli = AppGroup(
    "ingest",
    help="Load directory files into the system of record, one subcommand per kind.\n\n"
    + EXIT_STATUS_HELP,
)

rejects_option = click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the reject report (default: instance/rejects/KIND-TIMESTAMP.csv); "
    "repairs go beside it, '-repairs' added to the name.",
)
max_reject_rate_option = click.option(
    "--max-reject-rate",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MAX_REJECT_RATE,
    show_default=True,
    help="Exit 3 when more than this share of the rows in scope is rejected.",
)


def default_rejects_path(kind: str) -> Path:
    """instance/rejects/<kind>-<UTC timestamp>.csv."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "rejects" / f"{kind}-{stamp}.csv"


def run_kind(
    kind: IngestKind, path: Path, rejects: Path | None, max_reject_rate: float, **flags: bool
) -> None:
    """Run a kind's loader with its reports, print the summary and exit with its status."""
    rejects = rejects or default_rejects_path(kind.name)
    batch_size = current_app.config["INGEST_BATCH_SIZE"]
    try:
        summary, report = load_file(kind.name, path, rejects, batch_size, **flags)
    except FileRefused as refused:
        click.echo(f"Refused: {refused}", err=True)
        raise SystemExit(ExitStatus.REFUSED) from None
    _echo_summary(summary, report)
    failed = summary.too_many_rejects(max_reject_rate)
    if failed:
        click.echo(f"Failed: {failed}", err=True)
        raise SystemExit(ExitStatus.TOO_MANY_REJECTS)


def _echo_summary(summary: LoadSummary, report: RejectReport) -> None:
    """The closing summary line and where the reports went."""
    click.echo(summary.line())
    if report.count:
        click.echo(f"{report.count} rejected row(s) written to {report.path}")
    if report.repaired:
        click.echo(f"{report.repaired} repair(s) written to {report.repairs_path}")


def _beginning(kind: IngestKind) -> Callable | None:
    """The path argument's callback: the kind's `begin` called with the path, or None."""
    if kind.begin is None:
        return None
    begin = import_string(kind.begin)

    def begun(ctx: click.Context, _param: click.Parameter, path: Path | None) -> Path | None:
        if path is not None and not ctx.resilient_parsing:
            ctx.call_on_close(begin(path))  # the load takes what began; else it is stopped
        return path

    return begun


def _command(kind: IngestKind) -> click.Command:
    """`flask ingest <kind.name> PATH [--rejects PATH] [--max-reject-rate RATE]`."""

    @click.command(kind.name, help=f"{kind.help}\n\n{EXIT_STATUS_HELP}")
    @click.argument(
        "path",
        type=click.Path(exists=True, dir_okay=kind.folders, path_type=Path),
        callback=_beginning(kind),
    )
    @rejects_option
    @max_reject_rate_option
    @with_appcontext  # `python -m batch` builds its app here, once the command line is read
    def command(path: Path, rejects: Path | None, max_reject_rate: float, **flags: bool) -> None:
        run_kind(kind, path, rejects, max_reject_rate, **flags)

    for name, help_ in kind.flags:  # the kind's own yes/no options, e.g. roster --partial
        command = click.option(f"--{name}", is_flag=True, help=help_)(command)
    return command


for _kind in KINDS:
    ingest_cli.add_command(_command(_kind))
