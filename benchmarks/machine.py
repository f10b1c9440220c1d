"""The facts about the machine and software that every figure depends on."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess

from benchmarks.common import ROOT


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "not available"


def _cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    return 0.0


def _postgres() -> tuple[str, str]:
    """(PostgreSQL version, PostGIS version) of the peer server, or why not."""
    from benchmarks.peer_postgis import ADMIN_URL, available

    problem = available()
    if problem:
        return problem, "not available"
    import psycopg

    with psycopg.connect(ADMIN_URL) as con:
        server = con.execute("SHOW server_version").fetchone()[0]
        postgis = con.execute(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'"
        ).fetchone()[0]
    return server, postgis


def facts() -> dict[str, str]:
    """Machine, versions and commit, as strings."""
    server, postgis = _postgres()
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"])
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    return {
        "cpu": _cpu_model(),
        "cores (nproc)": str(os.cpu_count()),
        "memory": f"{_memory_gib()} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": server,
        "postgis": postgis,
        "gunicorn": _gunicorn(),
        "wrk": _first_line(["wrk", "-v"]),
        "commit": commit + (" (working tree has uncommitted changes)" if changed else ""),
    }


def _gunicorn() -> str:
    import gunicorn

    return gunicorn.__version__
