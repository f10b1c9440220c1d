"""gunicorn on 127.0.0.1:<free port> with the production gunicorn.conf.py, on a benchmark DB."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.common import PYTHON, ROOT, app_env, free_port, wait_for_http

WORKERS = 2  # one per core on the 2-core benchmark machine


@dataclass
class Server:
    """A running gunicorn master and how to reach it."""

    process: subprocess.Popen
    port: int

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>."""
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[psutil.Process]:
        """The worker processes (children of the master)."""
        return psutil.Process(self.process.pid).children()

    def worker_rss_mb(self) -> list[float]:
        """Resident set size of each worker, in MiB."""
        return [round(w.memory_info().rss / 2**20, 1) for w in self.workers()]


@contextmanager
def gunicorn(db_path: Path, log_path: Path, workers: int = WORKERS) -> Iterator[Server]:
    """Start gunicorn, wait until /healthz answers, stop it on exit."""
    port = free_port()
    env = app_env(
        db_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
    )
    command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
        server = Server(process, port)
        try:
            wait_for_http(f"{server.base_url}/healthz")
            _wait_for_workers(server, workers)
            _wait_for_indexes(server)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_indexes(server: Server, timeout: float = 900.0) -> None:
    """Every worker's match index is built (workers start building at boot)."""
    # Connections go to whichever worker accepts first, so many "ready" answers in a row
    # mean every worker is (two workers: 2 * 0.5 ** 30 odds of missing one).
    deadline, streak = time.monotonic() + timeout, 0
    while streak < 30:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers' match indexes did not become ready")
        with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=5) as response:
            state = json.load(response).get("match_index")
        streak = streak + 1 if state in ("ready", "off") else 0
        if not streak:
            time.sleep(0.5)


def _wait_for_workers(server: Server, count: int) -> None:
    """Every worker booted (the first /healthz answer may come from the first one up)."""
    for _ in range(300):
        if len(server.workers()) >= count:
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn started fewer than {count} workers")
