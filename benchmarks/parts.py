"""The benchmark parts run once (not per directory size): programs per size, the ingests, the
registry, adequacy and analytics, each in its own process where it has a module of its own."""

from __future__ import annotations

import argparse
import json
import subprocess

from benchmarks import ingest_bench, program_bench, program_data, report
from benchmarks.common import PYTHON, ROOT, log, size_label

INGESTS = ("nppes", "plan-net", "cms-dac", "roster")
PROGRAMS_MAX = 100_000  # services: the generator holds every row in memory before writing


def bench_json(command: list[str]) -> dict:
    """Run one benchmark module in its own process and read the JSON object it prints."""
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def percentiles(rec, prefix: str, size: str, found: dict, readers: tuple[str, ...]) -> None:
    """p50/p95/p99 of each reader's wall clock and CPU, with n and errors beside them."""
    for reader in readers:
        for kind, suffix in (("summary", ""), ("cpu", "_cpu")):
            figures = found[reader][kind]
            extra = {"n": figures["n"], "errors": found[reader]["errors"]}
            for p in ("p50", "p95", "p99"):
                rec.add(f"{prefix}_{reader}{suffix}_{p}", size, figures[p], "ms", **extra)


def programs(rec: report.Recorder, size: int, args: argparse.Namespace) -> None:
    """Program search in-process on `size` generated services (see program_data.py)."""
    if size > PROGRAMS_MAX:
        log(f"programs: {size_label(size)} skipped (generated up to {size_label(PROGRAMS_MAX)})")
        return
    path, facts = program_data.programs_db(size, args.seed)
    label = f"{size_label(size)} programs"
    mix = program_bench.needs_mix(path, args.seed)
    rec.add("program_services", label, size, "services", sites=facts["counts"]["program_site"])
    needs = path.with_name(f"{path.stem}-needs{len(mix)}.json")
    command = [PYTHON, "-m", "benchmarks.program_bench", "--db", str(path), "--needs", str(needs)]
    command += ["--rounds", str(args.rounds)]
    found = bench_json(command)
    for prefix, summary in (
        ("program_inprocess", found["summary"]),
        ("program_inprocess_cpu", found["cpu"]),
    ):
        for p in ("p50", "p95", "p99"):
            rec.add(f"{prefix}_{p}", label, summary[p], "ms", n=summary["n"], mean=summary["mean"])
    rec.add("program_inprocess_errors", label, found["errors"], "requests")
    index = found.get("index") or {}
    if index:
        rec.add(
            "program_index_build",
            label,
            index["index_build_seconds"],
            "s",
            rows=index["index_rows"],
        )
        rec.add("program_index_memory", label, index["index_mb"], "MB")


def _load_figures(rec, name: str, size: str, found: dict, unit: str, cpu: bool = True) -> None:
    """A load's rate (with its seconds, counts and file size), CPU rate and peak RSS."""
    extra = {"seconds": found["seconds"], "counts": found["counts"], "file_mb": found["file_mb"]}
    rec.add(f"ingest_{name}_rate", size, found["rate"], f"{unit}/s", **extra)
    if cpu:
        rec.add(f"ingest_{name}_cpu_rate", size, found["cpu_rate"], f"{unit}/CPU-s")
    rec.add(f"ingest_{name}_peak_rss", size, found["peak_rss_mb"], "MB")


def ingest(rec: report.Recorder, args: argparse.Namespace) -> None:
    """NPPES, Plan-Net, roster and CMS Doctors & Clinicians loads, each into a fresh directory."""
    if "nppes" in args.ingests:
        ingest_nppes(rec, args)
    if "plan-net" in args.ingests:
        ingest_plan_net(rec, args)
    if "roster" in args.ingests:
        ingest_roster(rec, args)
    if "cms-dac" in args.ingests:
        found = ingest_bench.cms_dac(args.dac_rows, args.seed)
        _load_figures(rec, "cms_dac", f"cms-dac {size_label(args.dac_rows)} rows", found, "rows")


def registry(rec: report.Recorder, args: argparse.Namespace) -> None:
    """Registry page and API latency on PostgreSQL, one process per episode count."""
    for episodes in args.registry_episodes:
        command = [PYTHON, "-m", "benchmarks.registry_bench", "--episodes", str(episodes)]
        command += ["--seed", str(args.seed)]
        found = bench_json(command)
        size = f"{size_label(episodes)} episodes"
        rec.add("registry_build", size, found["build_seconds"], "s", note="generator + bulk insert")
        percentiles(rec, "registry", size, found, ("pcp_page", "plan_page", "api"))


def adequacy(rec: report.Recorder, args: argparse.Namespace) -> None:
    """Network adequacy for a whole state, one process per clinician count."""
    for clinicians in args.adequacy_clinicians:
        command = [PYTHON, "-m", "benchmarks.adequacy_bench", "--clinicians", str(clinicians)]
        command += ["--state", args.adequacy_state, "--seed", str(args.seed)]
        found = bench_json(command)
        size = f"{size_label(clinicians)} clinicians {args.adequacy_state}"
        extra = {"rows": found["rows"], "runs": found["report_seconds"]}
        # The first report of a fresh process reads every place and computes every grid.
        rec.add("adequacy_state_report_first", size, found["report_seconds"][0], "s")
        rec.add("adequacy_state_report", size, min(found["report_seconds"]), "s", **extra)
        runs = {"runs": found["report_cpu_seconds"]}
        rec.add("adequacy_state_report_cpu", size, min(found["report_cpu_seconds"]), "s", **runs)
        rec.add("adequacy_state_grid_cpu", size, found["grid_seconds"], "s", note="best of 3")
        # Reports after real listing changes: one clinician moved, 1,000 moved, all moved back.
        for case, figures in found["after_changes"].items():
            rec.add(f"adequacy_state_report_{case}", size, figures["seconds"], "s")
            rec.add(f"adequacy_state_report_{case}_cpu", size, figures["cpu_seconds"], "s")
        # A new worker: its warm-up in the background, then its first report.
        warmed = found["after_warm_up"]
        rec.add("adequacy_state_warm_up", size, warmed["warm_up_seconds"], "s")
        rec.add("adequacy_state_report_after_warm_up", size, warmed["seconds"], "s")


def analytics(rec: report.Recorder, args: argparse.Namespace) -> None:
    """The funnel and directory dashboards over a year of referrals on PostgreSQL, per size."""
    for referrals in args.analytics_referrals:
        command = [PYTHON, "-m", "benchmarks.analytics_bench", "--referrals", str(referrals)]
        command += ["--seed", str(args.seed)]
        found = bench_json(command)
        size = f"{size_label(referrals)} referrals"
        rec.add("analytics_build", size, found["build_seconds"], "s", rows=found["rows"])
        percentiles(rec, "analytics", size, found, ("admin", "admin_funnel", "plan_staff"))


def ingest_nppes(rec: report.Recorder, args: argparse.Namespace) -> None:
    """The NPPES load and its csv.reader floor."""
    found = ingest_bench.nppes(args.nppes_rows, args.seed)
    size = f"nppes {size_label(args.nppes_rows)} rows"
    _load_figures(rec, "nppes", size, found, "rows")
    rec.add("ingest_nppes_csv_floor_rate", size, found["csv_floor"]["rate"], "rows/s")
    # Both rates from this one run, on the same file: the ratio the target is set on.
    ratio = round(found["rate"] / found["csv_floor"]["rate"], 3)
    rec.add("ingest_nppes_vs_csv_floor", size, ratio, "x", note="ours / csv.reader floor")
    rec.add("ingest_nppes_csv_floor_cpu_rate", size, found["csv_floor"]["cpu_rate"], "rows/CPU-s")
    _column_reader(rec, size, found)


def _column_reader(rec: report.Recorder, size: str, found: dict) -> None:
    """pyarrow reading the loader's columns, against the floor (issue 20 asks if it beats it)."""
    arrow = found["column_reader"]
    if arrow is None:
        log("pyarrow is not installed (the bench extra): column reader skipped")
        return
    note = f"{arrow['columns']} columns, streamed"
    rec.add("ingest_nppes_column_reader_rate", size, arrow["rate"], "rows/s", note=note)
    rec.add("ingest_nppes_column_reader_rss", size, arrow["peak_rss_mb"], "MB")
    ratio = round(arrow["rate"] / found["csv_floor"]["rate"], 2)
    rec.add("ingest_nppes_column_reader_vs_csv_floor", size, ratio, "x")


def ingest_plan_net(rec: report.Recorder, args: argparse.Namespace) -> None:
    """The Plan-Net load."""
    found = ingest_bench.plan_net(args.plan_net_practitioners, args.seed)
    size = f"plan-net {size_label(args.plan_net_practitioners)} practitioners"
    _load_figures(rec, "plan_net", size, found, "resources")


def ingest_roster(rec: report.Recorder, args: argparse.Namespace) -> None:
    """A plan roster sorted by plan, so one NPI's rows lie far apart."""
    found = ingest_bench.roster(args.roster_rows)
    size = f"roster {size_label(args.roster_rows)} rows, sorted by plan"
    _load_figures(rec, "roster", size, found, "rows", cpu=False)
