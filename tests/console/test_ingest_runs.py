"""Admin ingests across workers: one run at a time, progress and heartbeat in the database.

A second app instance on the same database stands for a second gunicorn worker (or host): it
shares nothing with the first but the database, so only what the database holds can stop a
second run, carry progress, or tell that a run's worker died.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from accounts.identity import actor_for_user
from app import create_app
from console import ingest_runs
from console.ingest_runs import IngestRefused, start_run, wait_for
from console.models import IngestRun
from directory.extensions import db as _db
from directory.models.verification import utcnow
from ingest.progress import beat
from ingest.report import LoadSummary
from tests.conftest import AuthActions, _test_config


class SlowKind:
    """A roster load that reports 7 rows, then waits to be released (and reports 9)."""

    name = "roster"

    def __init__(self):
        self.started, self.release = threading.Event(), threading.Event()

    def load(self, path, report, batch_size):
        summary = LoadSummary(read=7)
        beat()
        self.started.set()
        self.release.wait(60)
        summary.read = 9
        beat()  # a run whose lease was taken back stops here
        return summary


@pytest.fixture
def slow(monkeypatch):
    kind = SlowKind()
    monkeypatch.setattr(ingest_runs, "get_kind", lambda name: kind)
    # Nothing this process remembers about its threads may decide anything.
    monkeypatch.setattr(ingest_runs, "_threads", {})
    yield kind
    kind.release.set()


@pytest.fixture
def other_worker(app, database_url, tmp_path):
    """A second app on the same database, as another gunicorn worker would be."""
    second = create_app(_test_config(database_url, tmp_path / "worker2"))
    second.instance_path = str(tmp_path / "worker2")
    yield second
    with second.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def admin(signed_in):
    """An administrator: their email, to sign in on a worker, and their Actor for start_run."""
    user = signed_in("admin").user
    return SimpleNamespace(email=user.email, actor=actor_for_user(user))


def _upload(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("x\n", "utf-8")
    return path


def _started(app, admin, tmp_path, slow) -> int:
    run = start_run(admin.actor, "roster", _upload(tmp_path), "roster.csv")
    assert slow.started.wait(60)
    return run.id


def test_two_workers_cannot_start_two_runs(app, other_worker, admin, tmp_path, slow):
    run_id = _started(app, admin, tmp_path, slow)

    with other_worker.test_request_context():
        assert ingest_runs.busy()
        with pytest.raises(IngestRefused, match="Another load is running"):
            start_run(admin.actor, "roster", _upload(tmp_path), "second.csv")
        assert _db.session.query(IngestRun).count() == 1

    slow.release.set()
    wait_for(run_id, 60)
    with other_worker.test_request_context():
        assert not ingest_runs.busy()


def test_progress_written_by_one_worker_is_read_by_another(
    app, other_worker, admin, tmp_path, slow
):
    run_id = _started(app, admin, tmp_path, slow)
    client = other_worker.test_client()
    assert AuthActions(other_worker, client).login(admin.email).status_code == 302

    running = client.get(f"/admin/ingest/{run_id}/progress").get_json()
    page = client.get(f"/admin/ingest/{run_id}").get_data(as_text=True)
    slow.release.set()
    wait_for(run_id, 60)
    done = client.get(f"/admin/ingest/{run_id}/progress").get_json()

    assert (running["state"], running["rows_read"]) == ("running", 7)
    assert running["heartbeat_at"] is not None
    assert "Running: 7 rows read so far." in page
    assert (done["state"], done["rows_read"], done["summary"]["read"]) == ("finished", 9, 9)


def test_a_run_whose_worker_stopped_beating_is_failed_and_a_new_run_may_start(
    app, other_worker, admin, tmp_path, slow
):
    run_id = _started(app, admin, tmp_path, slow)
    _db.session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id)
        .values(heartbeat_at=utcnow() - timedelta(minutes=10, seconds=5))
    )
    _db.session.commit()
    client = other_worker.test_client()
    assert AuthActions(other_worker, client).login(admin.email).status_code == 302

    seen = client.get(f"/admin/ingest/{run_id}/progress").get_json()

    assert seen["state"] == "failed"
    assert seen["message"] == "no heartbeat for 10 minutes: the worker running it stopped"
    with other_worker.test_request_context():
        assert not ingest_runs.busy()
        second = start_run(admin.actor, "roster", _upload(tmp_path), "b.csv")
        second_id = second.id
    # The first run's thread was only slow: its next beat finds its lease gone, and it stops
    # without overwriting the verdict.
    slow.release.set()
    wait_for(run_id, 60)
    wait_for(second_id, 60)
    _db.session.expire_all()
    assert _db.session.get(IngestRun, run_id).state == "failed"
    assert _db.session.get(IngestRun, second_id).state == "finished"


def test_a_heartbeat_just_inside_the_limit_keeps_the_run(app, admin, tmp_path, slow):
    run_id = _started(app, admin, tmp_path, slow)
    _db.session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id)
        .values(heartbeat_at=utcnow() - timedelta(minutes=9, seconds=55))
    )
    _db.session.commit()

    assert ingest_runs.busy()
    _db.session.expire_all()
    assert _db.session.get(IngestRun, run_id).state == "running"
    slow.release.set()
    wait_for(run_id, 60)


def test_the_stale_limit_is_configurable(app, admin, tmp_path, slow):
    app.config["INGEST_STALE_MINUTES"] = 1
    run_id = _started(app, admin, tmp_path, slow)
    _db.session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id)
        .values(heartbeat_at=utcnow() - timedelta(seconds=61))
    )
    _db.session.commit()

    assert not ingest_runs.busy()
    _db.session.expire_all()
    run = _db.session.get(IngestRun, run_id)
    assert (run.state, run.lease) == ("failed", None)
    assert run.message == "no heartbeat for 1 minutes: the worker running it stopped"
