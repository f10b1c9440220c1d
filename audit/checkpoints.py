"""Write checkpoints outside the database: every N events, on worker exit, and on demand.

A transaction whose new event crossed a multiple of AUDIT_CHECKPOINT_EVERY (by id, so several
workers need no shared counter) writes one line after it commits; the line goes to the
append-only checkpoint file and, with AUDIT_SYSLOG=1, to syslog (to ship it off this host).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from logging.handlers import SysLogHandler

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from audit.checkpoint_file import Checkpoint, append_line, checkpoint_path, format_line
from audit.hashing import canonical_time
from audit.keys import current_key
from audit.models import AuditEvent
from directory.extensions import db
from directory.models.verification import utcnow

log = logging.getLogger(__name__)
_HEAD = "audit_head"
_DUE = "audit_checkpoint_due"
SYSLOG_TAG = "bh-audit-checkpoint: "


@dataclass(frozen=True)
class Head:
    """The newest event: its id, its place in the chain, its hash."""

    sequence: int
    count: int
    hash: str


def mark_checkpoint(session: Session, head: Head, due: bool) -> None:
    """Remember this transaction's newest event; `due` asks for a checkpoint after commit."""
    session.info[_HEAD] = head
    if due:
        session.info[_DUE] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    head = session.info.pop(_HEAD, None)
    if session.info.pop(_DUE, False) and head is not None and has_app_context():
        try:
            write_checkpoint(head, "every")
        except OSError as err:  # the events are committed; verify will report the gap
            log.error("audit checkpoint not written: %s", err.__class__.__name__)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_HEAD, None)
    session.info.pop(_DUE, None)


def syslog_address(value: str) -> str | tuple[str, int]:
    """A socket path ("/dev/log") or host:port (UDP), e.g. "logs.internal:514" or "[::1]:514"."""
    if value.startswith("/"):
        return value
    if value.startswith("["):  # [IPv6]:port
        host, _, port = value[1:].partition("]")
        port = port.removeprefix(":")
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
    else:  # a bare host, or a bare IPv6 address
        host, port = value, ""
    return host or "localhost", int(port) if port else 514


class _SysLog(SysLogHandler):
    """A SysLogHandler that lets its caller see a failed send (the stock one prints to stderr)."""

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # called inside emit's except block: re-raises what failed there


def _send_to_syslog(app: Flask, line: str) -> None:
    """The line again, to syslog; the file already holds it, so a syslog fault only logs."""
    address = syslog_address(app.config.get("AUDIT_SYSLOG_ADDRESS") or "/dev/log")
    message = SYSLOG_TAG + line.rstrip("\n")
    try:
        handler = _SysLog(address=address, facility=SysLogHandler.LOG_AUTHPRIV)
        try:
            handler.emit(logging.makeLogRecord({"msg": message, "levelname": "INFO"}))
        finally:
            handler.close()
    except OSError as err:
        log.error("audit checkpoint not sent to syslog: %s", err.__class__.__name__)


def write_checkpoint(head: Head, reason: str) -> Checkpoint:
    """Append a checkpoint of `head` to the file (and syslog when AUDIT_SYSLOG is on)."""
    app = current_app._get_current_object()
    key = current_key()
    checkpoint = Checkpoint(
        head.sequence, head.count, head.hash, canonical_time(utcnow()), key.key_id, reason
    )
    line = format_line(checkpoint, key)
    append_line(checkpoint_path(app), line)
    if app.config.get("AUDIT_SYSLOG"):
        _send_to_syslog(app, line)
    return checkpoint


def read_head(bind: Session | Connection) -> Head | None:
    """The newest event this session or connection sees, or None for an empty log."""
    row = bind.execute(
        select(AuditEvent.id, AuditEvent.hash, AuditEvent.chain_count)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    count = row.chain_count
    if count is None:  # legacy events only
        count = bind.scalar(select(func.count()).select_from(AuditEvent))
    return Head(row.id, count, row.hash)


def checkpoint_now(reason: str) -> Checkpoint | None:
    """Checkpoint the newest committed event now; None when the log is empty."""
    with db.engine.connect() as conn:  # committed events only, whatever the session holds
        head = read_head(conn)
    return None if head is None else write_checkpoint(head, reason)


def checkpoint_on_exit(app: Flask | None) -> None:
    """A worker is stopping: pin the events written since the last checkpoint (gunicorn hook)."""
    if app is None:  # the worker never loaded the app
        return
    try:
        with app.app_context():
            checkpoint_now("exit")
    except Exception as err:  # shutting down: report, never raise
        log.error("audit checkpoint at exit not written: %s", err.__class__.__name__)
