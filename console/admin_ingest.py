"""Admin ingest pages: start a load (upload or server path), watch it, fetch its reject report."""

from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from accounts.identity import current_actor
from console import admin_blueprint as bp
from console.access import page_for
from console.ingest_runs import (
    IngestRefused,
    allowed_path,
    busy,
    expire_stale_runs,
    recent_runs,
    save_upload,
    start_run,
)
from console.models import IngestRun
from directory.extensions import db
from edge.screen import accepts_large_body
from ingest.kinds import KINDS, upload_suffixes
from ingest.report import read_rejects, repairs_path

ADMIN = ("admin",)
REJECTS_SHOWN = 50


def _ingest_page(error: str | None = None, status: int = 200):
    page = render_template(
        "console/admin/ingest.html",
        kinds=KINDS,
        accept=",".join(sorted(upload_suffixes())),
        runs=recent_runs(),
        busy=busy(),
        error=error,
        allowed_dir=current_app.config.get("INGEST_ALLOWED_DIR") or "",
        form=request.form,
    )
    return page, status


@bp.get("/ingest")
@page_for(*ADMIN)
def ingest():
    """The form to start a load, and the latest runs."""
    return _ingest_page()


@bp.post("/ingest")
@accepts_large_body("INGEST_UPLOAD_MAX_MB")  # files, not MAX_CONTENT_LENGTH's 1 MB
@page_for(*ADMIN)
def start_ingest():
    """Start a load from an uploaded file or a path on the server."""
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    server_path = (request.form.get("server_path") or "").strip()
    try:
        if upload is not None and upload.filename:
            path, name = save_upload(upload), upload.filename
        elif server_path:
            path, name = allowed_path(server_path), server_path
        else:
            raise IngestRefused(_("Upload a file or give a server path."))
        run = start_run(current_actor(), kind, path, name)
    except IngestRefused as err:
        return _ingest_page(str(err), 400)
    return redirect(url_for("admin.ingest_run", run_id=run.id), 303)


def _run(run_id: int) -> IngestRun:
    """The run as the database has it now (whichever worker wrote it; stale ones failed)."""
    expire_stale_runs()
    run = db.session.get(IngestRun, run_id) or abort(404)
    db.session.refresh(run)
    return run


def progress_json(run: IngestRun) -> dict:
    """What the run page polls: state, rows read so far, and the summary at the end."""
    return {
        "id": run.id,
        "state": run.state,
        "rows_read": run.rows_read,
        "summary": run.summary or None,
        "rejected": run.rejected,
        "repaired": run.repaired,
        "heartbeat_at": run.heartbeat_at.isoformat() if run.heartbeat_at else None,
        "message": run.message,
    }


@bp.get("/ingest/<int:run_id>")
@page_for(*ADMIN)
def ingest_run(run_id: int):
    """One run: progress while it runs, then the summary and the first rejects."""
    run = _run(run_id)
    rejects = []
    if run.state != "running" and run.rejected and Path(run.rejects_path).exists():
        rejects = _named(run, read_rejects(run.rejects_path)[:REJECTS_SHOWN])
    return render_template("console/admin/ingest_run.html", run=run, rejects=rejects)


def _named(run: IngestRun, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Reject rows naming the file the admin uploaded, not the random name it was kept under."""
    kept = Path(run.path or "").name
    return [{**row, "file": run.source_name} if row.get("file") == kept else row for row in rows]


@bp.get("/ingest/<int:run_id>/progress")
@page_for(*ADMIN)
def ingest_progress(run_id: int):
    """Progress as JSON for the run page's script."""
    return jsonify(progress_json(_run(run_id)))


@bp.get("/ingest/<int:run_id>/rejects.csv")
@page_for(*ADMIN)
def ingest_rejects(run_id: int):
    """The run's reject report (file, line, field, value, reason)."""
    run = _run(run_id)
    path = Path(run.rejects_path)
    if not path.exists():
        abort(404)
    return send_file(
        path, mimetype="text/csv", as_attachment=True, download_name=f"rejects-{run.id}.csv"
    )


@bp.get("/ingest/<int:run_id>/repairs.csv")
@page_for(*ADMIN)
def ingest_repairs(run_id: int):
    """The run's repairs report (file, line, field, before, after, reason)."""
    run = _run(run_id)
    path = repairs_path(run.rejects_path)
    if not path.exists():
        abort(404)
    return send_file(
        path, mimetype="text/csv", as_attachment=True, download_name=f"repairs-{run.id}.csv"
    )
