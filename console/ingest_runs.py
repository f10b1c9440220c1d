"""Directory loads started from the admin pages: one at a time across every worker.

The database holds what every worker must agree on: a run takes the ingest lease (a unique
column, so a second run cannot start in any worker or process), its loading thread writes the
progress and a heartbeat after every batch, and a run whose heartbeat is older than
INGEST_STALE_MINUTES lost its worker: whoever looks next marks it failed and frees the lease.
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.datastructures import FileStorage

from audit.log import record
from console.models import IngestRun
from directory.extensions import db
from directory.models.verification import utcnow
from ingest.kinds import IngestKind, get_kind, upload_suffixes
from ingest.progress import listening
from ingest.report import (
    DEFAULT_MAX_REJECT_RATE,
    FileRefused,
    LoadSummary,
    RejectReport,
    watch_summaries,
)

log = logging.getLogger(__name__)
STALE_MINUTES = 10  # INGEST_STALE_MINUTES: no heartbeat for this long means the worker died
_threads: dict[int, threading.Thread] = {}  # runs this process is executing, for wait_for


class IngestRefused(ValueError):
    """A run that cannot start: another is running, or the file or path is not usable."""


class LeaseLost(RuntimeError):
    """This run was marked failed (its heartbeat looked stale) while it still ran: stop."""


def _table():
    return IngestRun.__table__


def stale_after() -> timedelta:
    """How long a running run may go without a heartbeat."""
    return timedelta(minutes=current_app.config.get("INGEST_STALE_MINUTES", STALE_MINUTES))


def expire_stale_runs() -> None:
    """Mark failed every running run whose worker stopped beating, freeing the lease; commits."""
    stale = stale_after()
    minutes = int(stale.total_seconds() // 60)
    db.session.execute(
        update(_table())
        .where(_table().c.lease.is_not(None), _table().c.heartbeat_at < utcnow() - stale)
        .values(
            state="failed",
            lease=None,
            finished_at=utcnow(),
            message=f"no heartbeat for {minutes} minutes: the worker running it stopped",
        )
    )
    db.session.commit()


def busy() -> bool:
    """True while a run holds the lease, in any worker."""
    expire_stale_runs()
    return db.session.scalar(select(IngestRun.id).where(IngestRun.lease.is_not(None))) is not None


def save_upload(upload: FileStorage) -> Path:
    """Keep an uploaded file under instance/uploads with a random name (its suffix kept)."""
    suffix = Path(upload.filename or "").suffix.lower()
    allowed = sorted(upload_suffixes())
    if suffix not in allowed:
        raise IngestRefused(_("Upload a %(kinds)s file.", kinds=", ".join(allowed)))
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{secrets.token_hex(16)}{suffix}"
    upload.save(target)
    return target


def allowed_path(text: str) -> Path:
    """A server path inside INGEST_ALLOWED_DIR (relative paths are taken from there)."""
    setting = current_app.config.get("INGEST_ALLOWED_DIR") or ""
    if not setting:
        raise IngestRefused(_("Server paths are off: set INGEST_ALLOWED_DIR."))
    root = Path(setting).resolve()
    candidate = Path(text.strip())
    target = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if not target.is_relative_to(root):
        raise IngestRefused(_("Only files under %(root)s may be loaded.", root=root))
    if not target.exists():
        raise IngestRefused(_("No such file or folder."))
    return target


def start_run(actor, kind_name: str, path: Path, source_name: str) -> IngestRun:
    """Take the lease, record and audit the run, and start its thread; commits."""
    kind = get_kind(kind_name)
    if kind is None:
        raise IngestRefused(_("Choose what kind of file this is."))
    expire_stale_runs()
    run = _leased_run(actor, kind, path, source_name)
    record(actor, "create", "ingest_run", run.id)
    db.session.commit()
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_work,
        args=(app, run.id, kind, path, Path(run.rejects_path)),
        name=f"ingest-{run.id}",
    )
    _threads[run.id] = thread
    thread.start()
    return run


def _leased_run(actor, kind: IngestKind, path: Path, source_name: str) -> IngestRun:
    """A new running run holding the lease; IngestRefused when another run holds it."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    rejects = Path(current_app.instance_path) / "rejects"
    run = IngestRun(
        kind=kind.name,
        source_name=source_name[:300],
        path=str(path),
        rejects_path=str(rejects / f"{kind.name}-{stamp}-{secrets.token_hex(4)}.csv"),
        started_by=actor.id,
        started_at=utcnow(),
        heartbeat_at=utcnow(),
        state="running",
        lease=1,
    )
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError:  # the unique lease: another worker's run holds it
        db.session.rollback()
        raise IngestRefused(_("Another load is running; wait for it to finish.")) from None
    return run


class _Heartbeat:
    """Writes the run's progress and heartbeat on its own connection, after every batch."""

    def __init__(self, run_id: int, summaries: list[LoadSummary]):
        self.run_id = run_id
        self.summaries = summaries

    def __call__(self, committed: bool = True) -> None:
        summary = _best(self.summaries)
        statement = (
            update(_table())
            .where(_table().c.id == self.run_id, _table().c.lease.is_not(None))
            .values(heartbeat_at=utcnow(), rows_read=summary.read, summary=summary.as_dict())
        )
        try:
            with db.engine.begin() as connection:
                written = connection.execute(statement).rowcount
        except OperationalError:  # e.g. SQLite busy: the next beat will do
            log.warning("ingest run %s: heartbeat not written", self.run_id, exc_info=True)
            return
        if written == 0:
            raise LeaseLost(f"ingest run {self.run_id} was marked failed while running")


def _work(app: Flask, run_id: int, kind: IngestKind, path: Path, rejects: Path) -> None:
    """The thread: run the loader in its own app context and record how it ended."""
    with app.app_context():
        summary, state, message, report = None, "finished", None, RejectReport(rejects)
        with watch_summaries() as found, listening(_Heartbeat(run_id, found)), report:
            try:
                summary = kind.load(path, report, batch_size=app.config["INGEST_BATCH_SIZE"])
                state, message = _verdict(summary, app)
            except FileRefused as refused:
                db.session.rollback()
                state, message = "refused", str(refused)
            except LeaseLost:
                db.session.rollback()
                log.warning("ingest run %s stopped: its lease was taken back", run_id)
            except Exception as err:  # the page must say it failed rather than spin for ever
                db.session.rollback()
                log.exception("ingest run %s failed", run_id)
                state, message = "failed", type(err).__name__
        _finish(run_id, state, message, summary or _best(found), report)
        db.session.remove()


def _verdict(summary: LoadSummary, app: Flask) -> tuple[str, str | None]:
    """finished, or too_many_rejects with why (the CLI's exit status 3)."""
    rate = app.config.get("INGEST_MAX_REJECT_RATE", DEFAULT_MAX_REJECT_RATE)
    failed = summary.too_many_rejects(rate)
    return ("too_many_rejects", failed) if failed else ("finished", None)


def _best(summaries: list[LoadSummary]) -> LoadSummary:
    """The loader's summary: the one that read the most (a loader may make inner ones)."""
    return max(summaries, key=lambda s: s.read, default=LoadSummary())


def _finish(run_id: int, state: str, message, summary: LoadSummary, report) -> None:
    """Record how the run ended and free the lease (unless it was already taken back)."""
    db.session.execute(
        update(_table())
        .where(_table().c.id == run_id, _table().c.lease.is_not(None))
        .values(
            state=state,
            message=message,
            summary=summary.as_dict(),
            rows_read=summary.read,
            rejected=report.count,
            repaired=report.repaired,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
            lease=None,
        )
    )
    db.session.commit()


def recent_runs(limit: int = 20) -> list[IngestRun]:
    """The latest runs, newest first (stale ones marked failed first)."""
    expire_stale_runs()
    query = select(IngestRun).order_by(IngestRun.started_at.desc(), IngestRun.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def wait_for(run_id: int, timeout: float | None = None) -> None:
    """Block until the run's thread in this process ends (tests and scripts)."""
    thread = _threads.get(run_id)
    if thread is not None:
        thread.join(timeout)
