"""gunicorn on 127.0.0.1:<free port> with the production gunicorn.conf.py, on a benchmark DB."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.common import PYTHON, ROOT, app_env, free_port, log, wait_for_http

WORKERS = 2  # one per core on the 2-core benchmark machine
# Rate limits count in Redis, as in production (every request is one round trip to it);
# BENCH_REDIS_URL="" counts in each worker's memory instead.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")


@dataclass
class Server:
    """A running gunicorn master and how to reach it."""

    process: subprocess.Popen
    port: int
    limits_storage: str = "memory://"

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

    def cpu_seconds(self) -> float:
        """User + system CPU the master and its workers have used so far."""
        total = 0.0
        for process in [psutil.Process(self.process.pid), *self.workers()]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:  # a worker recycled meanwhile
                continue
            total += times.user + times.system
        return total


def redis_process() -> psutil.Process | None:
    """The local Redis server counting the limits (its CPU is the limiter's), if any."""
    import redis

    if not REDIS_URL:
        return None
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
        pid = client.info("server")["process_id"]
        client.close()
        return psutil.Process(pid)
    except (redis.RedisError, psutil.Error):
        return None


def limits_storage() -> str:
    """REDIS_URL when a Redis answers there, else memory:// (said on stderr)."""
    if redis_process() is not None:
        return REDIS_URL
    if REDIS_URL:
        log(f"no Redis at {REDIS_URL}: the rate limits count in each worker's memory")
    return "memory://"


@contextmanager
def gunicorn(db_path: Path, log_path: Path, workers: int = WORKERS) -> Iterator[Server]:
    """Start gunicorn, wait until /healthz answers, stop it on exit."""
    port, storage = free_port(), limits_storage()
    env = app_env(
        db_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        RATELIMIT_STORAGE_URI=storage,
    )
    command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
        server = Server(process, port, storage)
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
