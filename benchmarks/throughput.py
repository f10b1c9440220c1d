"""Match throughput under gunicorn: wrk with a rotating body list, over a sweep of connections.

The figure is the best req/s among the runs whose p99 stays within the 50 ms budget; every
run of the sweep is kept in the JSON details. wrk runs one thread on the same two cores as the
workers, so it takes a little of the CPU it measures. The host is shared, so each run also
says what a request cost: the gunicorn processes' CPU and the local Redis server's CPU over
the run, per request, and the rate two free cores would sustain at that cost.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from benchmarks.common import MATCHES_PATH, ROOT, load_average
from benchmarks.server import Server, redis_process

P99_BUDGET_MS = 50.0
CORES = 2
CONNECTIONS = (1, 2, 4, 8)
SCRIPT = ROOT / "benchmarks" / "wrk_matches.lua"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkRun:
    """One wrk run's result."""

    connections: int
    seconds: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses plus socket errors
    cpu_ms: float | None = None  # gunicorn master + workers, CPU per request
    redis_cpu_ms: float | None = None  # the Redis server counting the limits, per request
    load_avg: float | None = None

    @property
    def capacity(self) -> float | None:
        """Requests a second CORES free cores would serve at this run's CPU per request."""
        if not self.cpu_ms:
            return None
        return round(CORES * 1000 / (self.cpu_ms + (self.redis_cpu_ms or 0.0)), 1)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse(output: str, connections: int, seconds: int) -> WrkRun:
    """The figures of wrk --latency output."""
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", output, re.M))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    return WrkRun(
        connections=connections,
        seconds=seconds,
        requests=requests,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=round(_ms(percentiles["50"]), 2),
        p99_ms=round(_ms(percentiles["99"]), 2),
        errors=errors,
    )


def wrk(server: Server, bodies: Path, api_key: str, connections: int, seconds: int) -> WrkRun:
    """One wrk run (one thread) against the matches endpoint, with its CPU per request."""
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
        "-s", str(SCRIPT), server.base_url + MATCHES_PATH, "--", str(bodies), api_key,
    ]  # fmt: skip
    redis = redis_process() if server.limits_storage.startswith("redis") else None
    cpu, redis_cpu = server.cpu_seconds(), _cpu(redis)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    run = parse(output, connections, seconds)
    if run.requests:
        run.cpu_ms = round((server.cpu_seconds() - cpu) * 1000 / run.requests, 3)
        if redis is not None:
            run.redis_cpu_ms = round((_cpu(redis) - redis_cpu) * 1000 / run.requests, 3)
    run.load_avg = load_average()
    return run


def _cpu(process: psutil.Process | None) -> float:
    times = process.cpu_times() if process is not None else None
    return times.user + times.system if times else 0.0


def measure(server: Server, bodies: Path, api_key: str, seconds: int = 20) -> dict:
    """A short warm-up, then the sweep; the best run within budget (else the lowest p99)."""
    wrk(server, bodies, api_key, 2, max(3, seconds // 4))
    runs = [wrk(server, bodies, api_key, c, seconds) for c in CONNECTIONS]
    within = [r for r in runs if r.p99_ms <= P99_BUDGET_MS]
    best = max(within, key=lambda r: r.rps) if within else min(runs, key=lambda r: r.p99_ms)
    return {
        "best": {**asdict(best), "capacity": best.capacity},
        "within_budget": bool(within),
        "errors": sum(r.errors for r in runs),
        "limits_storage": server.limits_storage,
        "runs": [{**asdict(r), "capacity": r.capacity} for r in runs],
    }
