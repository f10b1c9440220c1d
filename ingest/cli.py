"""`flask ingest nppes|plan-net|roster`: load a file into the system of record."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ingest.report import FileRefused, LoadSummary, RejectReport

ingest_cli = AppGroup("ingest", help="Load NPPES, FHIR Plan-Net or plan roster files.")

rejects_option = click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the reject report (default: instance/rejects/KIND-TIMESTAMP.csv).",
)


def default_rejects_path(kind: str) -> Path:
    """instance/rejects/<kind>-<UTC timestamp>.csv."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "rejects" / f"{kind}-{stamp}.csv"


def run_load(
    kind: str, loader: Callable[..., LoadSummary], path: Path, rejects: Path | None
) -> LoadSummary:
    """Run a loader with its reject report and print the closing summary."""
    rejects = rejects or default_rejects_path(kind)
    batch_size = current_app.config["INGEST_BATCH_SIZE"]
    with RejectReport(rejects) as report:
        try:
            summary = loader(path, report, batch_size=batch_size)
        except FileRefused as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(summary.line())
    if report.count:
        click.echo(f"{report.count} rejected row(s) written to {rejects}")
    return summary


@ingest_cli.command("nppes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@rejects_option
def ingest_nppes(file: Path, rejects: Path | None) -> None:
    """Load an NPPES dissemination CSV, keeping behavioral-health clinicians."""
    from ingest.nppes import load_nppes

    run_load("nppes", load_nppes, file, rejects)


@ingest_cli.command("plan-net")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@rejects_option
def ingest_plan_net(path: Path, rejects: Path | None) -> None:
    """Load FHIR Plan-Net resources: a Bundle, NDJSON files, or a folder of JSON files."""
    from ingest.plan_net import load_plan_net

    run_load("plan-net", load_plan_net, path, rejects)


@ingest_cli.command("roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@rejects_option
def ingest_roster(file: Path, rejects: Path | None) -> None:
    """Load a plan roster CSV (columns documented in the README)."""
    from ingest.roster import load_roster

    run_load("roster", load_roster, file, rejects)
