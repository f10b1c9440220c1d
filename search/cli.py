"""`flask search ...`: reindex, sync, check, render-mapping, render-query."""

import json
import signal
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from directory.extensions import db
from ingest.progress import Progress
from matching.matcher import matcher
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from search import CLI_HELP
from search.backend import PAGE_SIZE
from search.changefeed import current_position, follow_changes, store_position
from search.check import EXAMPLES, check_index
from search.client import SearchConfigError, bulk_client
from search.documents import clinician_count
from search.fallback import SEARCH_FAILURES
from search.lifecycle import ReindexError, indices_behind, reindex
from search.mapping import index_body
from search.outbox import enqueue
from search.queries import search_body
from search.sync import drain_once, run_worker

search_cli = AppGroup("search", help=CLI_HELP)


def _alias() -> str:
    return current_app.config["ELASTICSEARCH_INDEX_ALIAS"]


def _bulk_client():
    try:
        return bulk_client(current_app.config)
    except SearchConfigError as error:
        raise click.ClickException(str(error)) from error


def _unreachable(error: Exception) -> click.ClickException:
    return click.ClickException(f"Elasticsearch request failed: {type(error).__name__}")


@search_cli.command("reindex")
@click.option("--replicas", default=0, show_default=True, help="Replicas once built.")
@click.option("--batch-size", default=500, show_default=True, help="Clinicians per read.")
@click.option("--if-missing", is_flag=True, help="Only when the alias has no index (first boot).")
def reindex_command(replicas: int, batch_size: int, if_missing: bool) -> None:
    """Build a new index from the database, swap the alias to it, drop the old one."""
    client = _bulk_client()
    try:
        if if_missing and indices_behind(client, _alias()):
            click.echo(f"{_alias()} already has an index; nothing to do")
            return
    except SEARCH_FAILURES as error:
        raise _unreachable(error) from error
    # Changes committed while the index builds are re-read by `search sync` from here.
    started = current_position()
    db.session.commit()
    with Progress(clinician_count(), "indexing clinicians") as bar:
        try:
            report = reindex(client, _alias(), replicas, bar.advance_to, batch_size)
        except ReindexError as error:
            raise click.ClickException(str(error)) from error
        except SEARCH_FAILURES as error:
            raise _unreachable(error) from error
    store_position(started)
    db.session.commit()
    click.echo(
        f"{report.index}: {report.documents} documents for {report.clinicians} clinicians; "
        f"alias {_alias()} swapped; dropped {', '.join(report.dropped) or 'nothing'}"
    )


@search_cli.command("sync")
@click.option("--once", is_flag=True, help="Drain what is due now, then exit.")
@click.option("--batch-size", default=200, show_default=True, help="Outbox rows per round.")
@click.option("--poll-seconds", default=1.0, show_default=True, help="Idle wait.")
@click.option(
    "--heartbeat",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File touched every round, for a container health check.",
)
def sync_command(once: bool, batch_size: int, poll_seconds: float, heartbeat: Path | None) -> None:
    """Drain the outbox into Elasticsearch (a long-running worker unless --once)."""
    client = _bulk_client()
    if once:
        followed = follow_changes()
        click.echo(f"change log: {followed.queued} clinicians queued")
        totals = [0, 0, 0]
        while (report := drain_once(client, _alias(), batch_size)).claimed:
            totals = [totals[0] + report.documents, totals[1] + report.deleted, len(report.failed)]
        click.echo(f"indexed {totals[0]}, deleted {totals[1]}, rescheduled {totals[2]}")
        return
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    click.echo(f"search sync: draining the outbox into {_alias()} (SIGTERM stops)")

    def should_stop() -> bool:
        if heartbeat is not None:
            heartbeat.touch()
        return bool(stopping)

    run_worker(client, _alias(), should_stop, batch_size, poll_seconds)


@search_cli.command("check")
@click.option("--enqueue", "requeue", is_flag=True, help="Queue the differences for sync.")
def check_command(requeue: bool) -> None:
    """Report documents missing from, stale in, or orphaned in the index."""
    client = _bulk_client()
    with Progress(clinician_count(), "checking clinicians") as bar:
        try:
            report = check_index(client, _alias(), progress=bar.advance_to)
        except SEARCH_FAILURES as error:
            raise _unreachable(error) from error
    click.echo(f"checked {report.checked} documents")
    for kind in ("missing", "stale", "orphaned"):
        ids = getattr(report, kind)
        shown = ", ".join(ids[:EXAMPLES]) + (" ..." if len(ids) > EXAMPLES else "")
        click.echo(f"{kind}: {len(ids)}" + (f" ({shown})" if ids else ""))
    if requeue and not report.ok:
        count = enqueue(report.clinician_ids())
        db.session.commit()
        click.echo(f"queued {count} clinicians for `flask search sync`")
    if not report.ok and not requeue:
        raise SystemExit(1)


@search_cli.command("render-mapping")
@click.option("--replicas", default=0, show_default=True)
def render_mapping_command(replicas: int) -> None:
    """Print the index settings and mappings (the indices.create body) as JSON."""
    click.echo(json.dumps(index_body(replicas), indent=2))


@search_cli.command("render-query")
@click.argument("needs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date the search runs on.")
def render_query_command(needs_file: Path, today) -> None:
    """Print the search request body for the needs in NEEDS_FILE (the matching API's JSON)."""
    schema = NeedsSchema(plan_lookup(db.session), matcher.needs_schema.geocoder)
    try:
        needs = schema.load(json.loads(needs_file.read_text("utf-8")))
    except (ValidationError, json.JSONDecodeError) as error:
        messages = getattr(error, "messages", str(error))
        raise click.ClickException(f"invalid needs: {json.dumps(messages)}") from error
    day = today.date() if today else datetime.now(UTC).date()  # as the backend's today
    click.echo(json.dumps(search_body(needs, day, PAGE_SIZE), indent=2))
