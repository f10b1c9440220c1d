"""Paths, sizes, percentiles and process helpers shared by the benchmark modules."""

from __future__ import annotations

import math
import os
import secrets
import socket
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Generated directories and files are big and slow to make: kept out of git, reused by size+seed.
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", ROOT / "benchmarks" / "data"))
RESULTS_DIR = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
_SUFFIXES = {"k": 1_000, "m": 1_000_000}
MATCHES_PATH = "/api/v1/matches"
BENCH_RATE_LIMIT = "1000000/minute"


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    text = text.strip().lower().replace("_", "")
    if text and text[-1] in _SUFFIXES:
        return int(float(text[:-1]) * _SUFFIXES[text[-1]])
    return int(text)


def size_label(n: int) -> str:
    """10000 -> '10k', 1000000 -> '1M' (the inverse of parse_size for round sizes)."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def load_average() -> float:
    """The 1-minute load average: every figure is noisy on a shared machine, so say how noisy."""
    return round(os.getloadavg()[0], 2)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of a list of milliseconds."""
    return {
        "p50": round(percentile(samples_ms, 50), 2),
        "p95": round(percentile(samples_ms, 95), 2),
        "p99": round(percentile(samples_ms, 99), 2),
        "mean": round(sum(samples_ms) / len(samples_ms), 2),
        "n": len(samples_ms),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


def app_env(db_path: Path, **extra: str) -> dict[str, str]:
    """Environment for an app process (gunicorn, flask CLI) on the benchmark database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=sqlite_url(db_path),
        # A throwaway key per run: the app refuses to start without one and none is committed.
        SECRET_KEY=secrets.token_hex(16),
        SEARCH_BACKEND="embedded",
        # The load generator is one partner hammering the API on purpose: lift its budget
        # (the limiter itself still runs on every request, as in production).
        PARTNER_RATE_LIMIT=BENCH_RATE_LIMIT,
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def wait_for_http(url: str, timeout: float = 60.0) -> None:
    """Poll `url` until it answers 200; RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def log(message: str) -> None:
    """Progress on stderr, so stdout stays one JSON line per figure."""
    print(message, file=sys.stderr, flush=True)
