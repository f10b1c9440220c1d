"""`flask outbox deliver` (the worker) and `flask outbox status` (counts, no addresses)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from directory.extensions import db
from outbox.models import OutboxMessage
from outbox.queue import deliver_due

outbox_cli = AppGroup("outbox", help="Deliver the outbox: email, text messages and webhooks.")


@outbox_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until stopped.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--limit", default=100, show_default=True, help="Messages per round at most.")
def deliver_command(loop: bool, interval: float, limit: int) -> None:
    """Send what is due; exit 1 when a message was given up on in a single round."""
    while True:
        done = deliver_due(current_app.config, limit=limit)
        click.echo(
            f"sent {len(done.sent)}, retrying {len(done.retrying)}, failed {len(done.failed)}"
        )
        if not loop:
            raise SystemExit(1 if done.failed else 0)
        if len(done.sent) + len(done.retrying) + len(done.failed) < limit:
            time.sleep(interval)


@outbox_cli.command("status")
def status_command() -> None:
    """How many messages per channel, purpose and status."""
    rows = db.session.execute(
        select(OutboxMessage.channel, OutboxMessage.purpose, OutboxMessage.status, func.count())
        .group_by(OutboxMessage.channel, OutboxMessage.purpose, OutboxMessage.status)
        .order_by(OutboxMessage.channel, OutboxMessage.purpose, OutboxMessage.status)
    )
    for channel, purpose, status, count in rows:
        click.echo(f"{channel}\t{purpose}\t{status}\t{count}")
