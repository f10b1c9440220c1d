"""Run the benchmarks: `python -m benchmarks.run --sizes 10k,100k [--skip-1m]` (see BENCHMARKS.md).

Per directory size: in-process match latency, HTTP latency and worker RSS under gunicorn,
throughput with wrk, and the PostGIS and SQLite R*Tree peers on the same needs; with
`--parts programs`, program search in-process on as many generated services. Then, once,
the NPPES, Plan-Net and CMS Doctors & Clinicians ingests. Figures go to stdout (one JSON line
each) and to benchmarks/results/; BENCHMARKS.md's tables are regenerated at the end.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import UTC, datetime

from benchmarks import datasets, machine, report
from benchmarks.common import DATA_DIR, PYTHON, log, parse_size, size_label
from benchmarks.needs_mix import bodies_file, needs_mix
from benchmarks.parts import INGESTS, adequacy, analytics, bench_json, ingest, programs, registry
from benchmarks.peers import run_peers

PARTS = (
    "inprocess", "units", "http", "throughput", "peers", "programs", "ingest", "registry",
    "adequacy", "analytics",
)  # fmt: skip
CLINICIAN_PARTS = {"inprocess", "units", "http", "throughput", "peers"}


class SizeRun:
    """Every benchmark of one directory size."""

    def __init__(self, rec: report.Recorder, size: int, args: argparse.Namespace):
        self.rec, self.args = rec, args
        self.label = size_label(size)
        self.db, built = datasets.directory_db(size, args.seed)
        self.facts = datasets.manifest(self.db)
        self.mix = needs_mix(self.db, args.seed)
        self.totals: list | None = None
        self.values: dict[str, float] = {}
        if built:
            for stale in DATA_DIR.glob(f"peer-{self.label}-s{args.seed}.sqlite3*"):
                stale.unlink()

    def add(self, name: str, value: float, unit: str, **extra) -> None:
        """Record a figure of this size."""
        self.values[name] = value
        self.rec.add(name, self.label, value, unit, **extra)

    def rec_value(self, name: str) -> float | None:
        """A figure recorded earlier in this run of this size."""
        return self.values.get(name)

    def directory(self) -> None:
        """How the directory was made: size, places per clinician, generation rate."""
        f = self.facts
        self.add("directory_clinicians", f["clinicians"], "clinicians", locations=f["locations"])
        per_clinician = round(f["clinician_locations"] / f["clinicians"], 2)
        self.add("directory_places_per_clinician", per_clinician, "locations")
        extra = {"load_avg": f["load_avg"], "seconds": f["seconds"], "built_at": f["built_at"]}
        self.add("demo_generate_rate", f["rate"], "clinicians/s", **extra)

    def latency(self, prefix: str, found: dict) -> None:
        """p50 / p95 / p99 (and errors) of a latency result."""
        summary = found["summary"]
        for p in ("p50", "p95", "p99"):
            self.add(f"{prefix}_{p}", summary[p], "ms", n=summary["n"], mean=summary["mean"])
        if "errors" in found:
            self.add(f"{prefix}_errors", found["errors"], "requests")

    def inprocess(self) -> None:
        """The WSGI app through the test client, in a process of its own."""
        needs = self.db.with_name(f"{self.db.stem}-needs{len(self.mix)}.json")
        command = [PYTHON, "-m", "benchmarks.inprocess", "--db", str(self.db)]
        command += ["--needs", str(needs), "--api-key", self.facts["api_key"]]
        command += ["--rounds", str(self.args.rounds)]
        found = bench_json(command)
        self.totals = found["totals"]
        self.latency("match_inprocess", found)
        self.latency("match_inprocess_cpu", {"summary": found["cpu"]})
        index = found.get("index") or {}
        if index:
            self.add("index_build", index["index_build_seconds"], "s", note="child process")
            self.add("index_memory", index["index_mb"], "MB", note="arrays of the base segment")

    def units(self) -> None:
        """CPU microseconds per candidate to retrieve and to rank (best of three passes)."""
        needs = self.db.with_name(f"{self.db.stem}-needs{len(self.mix)}.json")
        command = [PYTHON, "-m", "benchmarks.units", "--db", str(self.db), "--needs", str(needs)]
        found = bench_json(command)
        extra = {"candidates": found["candidates"]}
        self.add("retrieve_cpu_per_candidate", found["retrieve_us"], "us", **extra)
        self.add("rank_cpu_per_candidate", found["rank_us"], "us", **extra)
        rows = {"rows": found["index_rows"]}
        self.add("index_search_cpu_per_row", found["index_search_us"], "us", **rows)
        self.add("index_find_matches_cpu", found["index_page_ms"], "ms", note="mean per search")

    def gunicorn(self, parts: set[str]) -> None:
        """HTTP latency, worker RSS and throughput against one gunicorn."""
        from benchmarks import http_latency, throughput
        from benchmarks.server import WORKERS, gunicorn

        key = self.facts["api_key"]
        with gunicorn(self.db, DATA_DIR / f"gunicorn-{self.label}.log") as server:
            found = http_latency.measure(server, self.mix, key, self.args.rounds)
            self.latency("match_http", found)
            rss = found["worker_rss_mb"]
            self.add("worker_rss", max(rss), "MB", workers=rss, note="max over workers")
            if "throughput" in parts:
                bodies = bodies_file(self.db, self.mix)
                t = throughput.measure(server, bodies, key, self.args.wrk_seconds)
                best = t["best"]
                extra = {"connections": best["connections"], "workers": WORKERS}
                extra["limits_storage"] = t["limits_storage"]
                self.add("throughput", best["rps"], "req/s", **extra, runs=t["runs"])
                self.add("throughput_p99", best["p99_ms"], "ms", **extra)
                self.add("throughput_errors", t["errors"], "requests", note="whole sweep")
                redis = {"redis_cpu_ms": best["redis_cpu_ms"], **extra}
                self.add("throughput_cpu_per_request", best["cpu_ms"], "ms", **redis)
                self.add("throughput_capacity_2_cores", best["capacity"], "req/s", **extra)

    def peers(self) -> None:
        """The PostGIS and R*Tree peers on the same required needs."""
        run_peers(self, self.args.seed)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="directory sizes, e.g. 10k,100k")
    parser.add_argument("--skip-1m", action="store_true", help="drop 1M from --sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"any of {','.join(PARTS)}")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over the mix")
    parser.add_argument("--wrk-seconds", type=int, default=20, help="per wrk run")
    parser.add_argument("--nppes-rows", type=parse_size, default=parse_size("1M"))
    parser.add_argument("--plan-net-practitioners", type=parse_size, default=parse_size("20k"))
    parser.add_argument("--dac-rows", type=parse_size, default=parse_size("1M"))
    parser.add_argument(
        "--ingests", default=",".join(INGESTS), help=f"with --parts ingest: any of {INGESTS}"
    )
    parser.add_argument("--roster-rows", type=parse_size, default=parse_size("1M"))
    parser.add_argument(
        "--registry-episodes", default="10k,100k", help="with --parts registry: episode counts"
    )
    parser.add_argument(
        "--adequacy-clinicians", default="10k,100k", help="with --parts adequacy: clinician counts"
    )
    parser.add_argument(
        "--analytics-referrals", default="100k,1M", help="with --parts analytics: referral counts"
    )
    parser.add_argument("--adequacy-state", default="CA", help="with --parts adequacy: a state")
    parser.add_argument("--no-markdown", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    args.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.skip_1m:
        args.sizes = [s for s in args.sizes if s < 1_000_000]
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    args.registry_episodes = [parse_size(s) for s in args.registry_episodes.split(",") if s]
    args.adequacy_clinicians = [parse_size(s) for s in args.adequacy_clinicians.split(",") if s]
    args.analytics_referrals = [parse_size(s) for s in args.analytics_referrals.split(",") if s]
    args.ingests = {p.strip() for p in args.ingests.split(",") if p.strip()}
    if args.ingests - set(INGESTS):
        parser.error(f"unknown ingests: {', '.join(sorted(args.ingests - set(INGESTS)))}")
    unknown = args.parts - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def per_size(rec: report.Recorder, size: int, args: argparse.Namespace) -> None:
    """The parts measured at each directory size: programs, then the clinician parts."""
    if "programs" in args.parts:
        log(f"== {size_label(size)} programs")
        programs(rec, size, args)
    if not args.parts & CLINICIAN_PARTS:
        return
    log(f"== {size_label(size)} clinicians")
    run = SizeRun(rec, size, args)
    run.directory()
    if "inprocess" in args.parts:
        run.inprocess()
    if "units" in args.parts:
        run.units()
    if args.parts & {"http", "throughput"}:
        run.gunicorn(args.parts)
    if "peers" in args.parts:
        run.peers()


def main(argv: list[str] | None = None) -> None:
    """Run every selected part for every size, then the ingests, then the markdown."""
    args = parse_args(argv)
    rec = report.Recorder()
    started = datetime.now(UTC)
    for size in args.sizes:
        per_size(rec, size, args)
    if "ingest" in args.parts:
        log("== ingest")
        ingest(rec, args)
    if "registry" in args.parts:
        log("== registry")
        registry(rec, args)
    if "adequacy" in args.parts:
        log("== adequacy")
        adequacy(rec, args)
    if "analytics" in args.parts:
        log("== analytics")
        analytics(rec, args)
    command = "python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv)
    rec.meta(
        {
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command,
            "machine": machine.facts(),
        }
    )
    if not args.no_markdown:
        report.write_markdown()


if __name__ == "__main__":
    main()
