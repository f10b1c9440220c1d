"""POST /api/v1/matches latency over HTTP against gunicorn, one request at a time.

A new connection per request, as gunicorn's sync workers close each one. The first pass over
the mix warms both workers up; their RSS is read then, before the timed passes.
"""

from __future__ import annotations

import http.client
import json
import time

from benchmarks.common import MATCHES_PATH, latency_summary
from benchmarks.server import Server


def post(port: int, body: bytes, headers: dict) -> tuple[int, bytes]:
    """(status, body) of one POST on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", MATCHES_PATH, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def time_pass(port: int, bodies: list[bytes], headers: dict) -> tuple[list[float], int]:
    """(milliseconds per request, errors) for one pass over the mix."""
    samples, errors = [], 0
    for body in bodies:
        started = time.perf_counter()
        status, _ = post(port, body, headers)
        samples.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    return samples, errors


def measure(server: Server, mix: list[dict], api_key: str, rounds: int = 2) -> dict:
    """Warm-up pass, worker RSS, then `rounds` timed passes."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"}
    bodies = [json.dumps(body).encode() for body in mix]
    _, warmup_errors = time_pass(server.port, bodies, headers)
    rss = server.worker_rss_mb()
    samples: list[float] = []
    errors = 0
    for _ in range(rounds):
        timed, failed = time_pass(server.port, bodies, headers)
        samples += timed
        errors += failed
    return {
        "summary": latency_summary(samples),
        "errors": errors + warmup_errors,
        "worker_rss_mb": rss,
    }
