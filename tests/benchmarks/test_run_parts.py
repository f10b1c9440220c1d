"""`make bench` reads each part's JSON into named figures (no benchmark is run here)."""

import argparse

from benchmarks import parts

ADEQUACY_OUTPUT = {
    "clinicians": 1000000,
    "state": "CA",
    "build_seconds": None,
    "report_seconds": [6.871, 0.007, 0.005],
    "report_cpu_seconds": [6.404, 0.007, 0.005],
    "after_changes": {
        "one_moved": {"seconds": 0.491, "cpu_seconds": 0.486, "failing": 0},
        "batch_moved": {"seconds": 3.218, "cpu_seconds": 3.309, "failing": 0},
    },
    "after_warm_up": {
        "warm_up_seconds": 5.9,
        "warm_up_cpu_seconds": 6.1,
        "seconds": 0.011,
        "cpu_seconds": 0.01,
    },  # fmt: skip
    "grid_seconds": 3.045,
    "rows": 232,
    "failing": 0,
}


class Figures:
    """A recorder that keeps (name, size, value, unit) of each figure."""

    def __init__(self):
        self.added = []

    def add(self, name, size, value, unit, **extra):
        self.added.append((name, size, value, unit))


def test_adequacy_figures_come_from_the_bench_output(monkeypatch):
    commands = []
    monkeypatch.setattr(
        parts, "bench_json", lambda command: commands.append(command) or ADEQUACY_OUTPUT
    )
    rec = Figures()
    args = argparse.Namespace(adequacy_clinicians=[1000000], adequacy_state="CA", seed=1)
    parts.adequacy(rec, args)
    assert commands[0][1:] == [
        "-m", "benchmarks.adequacy_bench", "--clinicians", "1000000",
        "--state", "CA", "--seed", "1",
    ]  # fmt: skip
    size = "1M clinicians CA"
    assert rec.added == [
        ("adequacy_state_report_first", size, 6.871, "s"),
        ("adequacy_state_report", size, 0.005, "s"),
        ("adequacy_state_report_cpu", size, 0.005, "s"),
        ("adequacy_state_grid_cpu", size, 3.045, "s"),
        ("adequacy_state_report_one_moved", size, 0.491, "s"),
        ("adequacy_state_report_one_moved_cpu", size, 0.486, "s"),
        ("adequacy_state_report_batch_moved", size, 3.218, "s"),
        ("adequacy_state_report_batch_moved_cpu", size, 3.309, "s"),
        ("adequacy_state_warm_up", size, 5.9, "s"),
        ("adequacy_state_report_after_warm_up", size, 0.011, "s"),
    ]


def test_percentiles_name_each_reader_wall_and_cpu():
    rec = Figures()
    found = {
        "api": {
            "summary": {"p50": 1.0, "p95": 2.0, "p99": 3.0, "n": 9},
            "cpu": {"p50": 0.5, "p95": 0.6, "p99": 0.7, "n": 9},
            "errors": 0,
        }
    }
    parts.percentiles(rec, "registry", "10k episodes", found, ("api",))
    assert [(name, value) for name, _, value, _ in rec.added] == [
        ("registry_api_p50", 1.0),
        ("registry_api_p95", 2.0),
        ("registry_api_p99", 3.0),
        ("registry_api_cpu_p50", 0.5),
        ("registry_api_cpu_p95", 0.6),
        ("registry_api_cpu_p99", 0.7),
    ]


def test_the_nppes_figures_include_ours_over_the_floor_of_the_same_run(monkeypatch):
    found = {
        "rate": 21_000.0, "cpu_rate": 22_500.0, "peak_rss_mb": 157.6, "seconds": 47.6,
        "counts": {"inserted": 119_953}, "file_mb": 1_200.0,
        "csv_floor": {"rate": 84_000.0, "cpu_rate": 111_000.0},
        "column_reader": {"rate": 336_000.0, "peak_rss_mb": 199.0, "columns": 78},
    }  # fmt: skip
    monkeypatch.setattr(parts.ingest_bench, "nppes", lambda rows, seed: found)
    rec = Figures()
    parts.ingest_nppes(rec, argparse.Namespace(nppes_rows=1_000_000, seed=1))
    assert ("ingest_nppes_vs_csv_floor", "nppes 1M rows", 0.25, "x") in rec.added
    assert ("ingest_nppes_csv_floor_rate", "nppes 1M rows", 84_000.0, "rows/s") in rec.added
    assert ("ingest_nppes_column_reader_vs_csv_floor", "nppes 1M rows", 4.0, "x") in rec.added
