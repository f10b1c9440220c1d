"""The throughput benchmark's reading of wrk's output and its CPU cost per request."""

from benchmarks.throughput import WrkRun, parse

WRK_OUTPUT = """Running 20s test @ http://127.0.0.1:8123/api/v1/matches
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.20ms    3.10ms  61.02ms   80.00%
    Req/Sec   281.90     20.11   330.00     70.00%
  Latency Distribution
     50%   13.51ms
     75%   15.80ms
     90%   18.02ms
     99%   27.40ms
  5640 requests in 20.01s, 145.31MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    281.86
Transfer/sec:      7.26MB
"""


def test_parse_reads_rate_percentiles_and_errors():
    run = parse(WRK_OUTPUT, connections=4, seconds=20)

    assert (run.requests, run.rps, run.p50_ms, run.p99_ms, run.errors) == (
        5640,
        281.86,
        13.51,
        27.4,
        3,
    )
    assert run.cpu_ms is None and run.capacity is None


def test_capacity_is_two_cores_over_the_cpu_a_request_costs():
    run = WrkRun(4, 20, 5640, 281.86, 13.51, 27.4, 0, cpu_ms=4.5, redis_cpu_ms=0.5)

    assert run.capacity == 400.0
