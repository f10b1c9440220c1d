"""Directory loads started from the admin pages: a background thread per run, progress polled."""

from __future__ import annotations

import importlib
import logging
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from audit.log import record
from console.models import INGEST_KINDS, IngestRun
from directory.extensions import db
from directory.models.verification import utcnow
from ingest.report import FileRefused, LoadSummary, RejectReport, watch_summaries

log = logging.getLogger(__name__)
LOADERS = {
    "nppes": ("ingest.nppes", "load_nppes"),
    "plan-net": ("ingest.plan_net", "load_plan_net"),
    "roster": ("ingest.roster", "load_roster"),
}
UPLOAD_SUFFIXES = {".csv", ".json", ".ndjson", ".txt"}


class IngestRefused(ValueError):
    """A run that cannot start: another is running, or the file or path is not usable."""


@dataclass
class LiveRun:
    """A run this process is executing: its thread and the summaries its loader made."""

    thread: threading.Thread | None = None
    summaries: list[LoadSummary] = field(default_factory=list)


_live: dict[int, LiveRun] = {}
_live_lock = threading.Lock()


def busy() -> bool:
    """True while this process is running a load (one at a time: loads share fingerprints)."""
    with _live_lock:
        return any(run.thread is not None and run.thread.is_alive() for run in _live.values())


def live_run(run_id: int) -> LiveRun | None:
    """The thread and summaries of a run executing in this process."""
    with _live_lock:
        return _live.get(run_id)


def rows_read(run: IngestRun) -> int:
    """Rows (or resources) read so far: live from the loader, else as recorded at the end."""
    live = live_run(run.id)
    if live is not None and live.summaries:
        return max(summary.read for summary in live.summaries)
    return run.rows_read


def save_upload(upload: FileStorage) -> Path:
    """Keep an uploaded file under instance/uploads with a random name (its suffix kept)."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise IngestRefused(_("Upload a %(kinds)s file.", kinds=", ".join(sorted(UPLOAD_SUFFIXES))))
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


def start_run(actor, kind: str, path: Path, source_name: str) -> IngestRun:
    """Record the run, audit it, and start the loader on its own thread; commits."""
    if kind not in INGEST_KINDS:
        raise IngestRefused(_("Choose what kind of file this is."))
    if busy():
        raise IngestRefused(_("Another load is running; wait for it to finish."))
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    rejects = (
        Path(current_app.instance_path) / "rejects" / f"{kind}-{stamp}-{secrets.token_hex(4)}.csv"
    )
    run = IngestRun(
        kind=kind,
        source_name=source_name[:300],
        path=str(path),
        rejects_path=str(rejects),
        started_by=actor.id,
        started_at=utcnow(),
        state="running",
    )
    db.session.add(run)
    db.session.flush()
    record(actor, "create", "ingest_run", run.id)
    db.session.commit()
    live = LiveRun()
    app = current_app._get_current_object()
    live.thread = threading.Thread(
        target=_work, args=(app, run.id, kind, path, rejects, live), name=f"ingest-{run.id}"
    )
    with _live_lock:
        _live[run.id] = live
    live.thread.start()
    return run


def _loader(kind: str):
    module, name = LOADERS[kind]
    return getattr(importlib.import_module(module), name)


def _work(app: Flask, run_id: int, kind: str, path: Path, rejects: Path, live: LiveRun) -> None:
    """The thread: run the loader in its own app context and record how it ended."""
    with app.app_context():
        summary, state, message, rejected = None, "finished", None, 0
        try:
            with watch_summaries() as found, RejectReport(rejects) as report:
                live.summaries = found
                summary = _loader(kind)(path, report, batch_size=app.config["INGEST_BATCH_SIZE"])
                rejected = report.count
        except FileRefused as refused:
            db.session.rollback()
            state, message = "refused", str(refused)
        except Exception as err:  # the page must say it failed rather than spin for ever
            db.session.rollback()
            log.exception("ingest run %s failed", run_id)
            state, message = "failed", type(err).__name__
        _finish(run_id, state, message, summary or _best(live), rejected)
        db.session.remove()


def _best(live: LiveRun) -> LoadSummary:
    return max(live.summaries, key=lambda s: s.read, default=LoadSummary())


def _finish(run_id: int, state: str, message, summary: LoadSummary, rejected: int) -> None:
    run = db.session.get(IngestRun, run_id)
    run.state = state
    run.message = message
    run.summary = summary.as_dict()
    run.rows_read = summary.read
    run.rejected = rejected
    run.finished_at = utcnow()
    db.session.commit()


def recent_runs(limit: int = 20) -> list[IngestRun]:
    """The latest runs, newest first."""
    query = select(IngestRun).order_by(IngestRun.started_at.desc(), IngestRun.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def wait_for(run_id: int, timeout: float | None = None) -> None:
    """Block until the run's thread ends (tests and the CLI)."""
    live = live_run(run_id)
    if live is not None and live.thread is not None:
        live.thread.join(timeout)
