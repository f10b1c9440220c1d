"""Ingest throughput and peak memory: `python -m batch ingest nppes`, `plan-net` and `cms-dac`.

Each load runs as the real CLI in a subprocess on a fresh, empty SQLite directory; the peak RSS
is the kernel's own high-water mark for that process (ru_maxrss from wait4), so no sampling gap
can miss a spike. The peer for NPPES is a bare csv.reader pass over the same file: the floor
any loader that parses the CSV in Python pays.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

from benchmarks import column_reader as column_reader_module
from benchmarks.common import DATA_DIR, PYTHON, ROOT, app_env, log, size_label
from benchmarks.dac_file import write_dac
from benchmarks.nppes_file import write_nppes
from benchmarks.plan_net_files import write_plan_net
from benchmarks.roster_file import write_roster


def empty_directory(path: Path) -> Path:
    """A new SQLite file with the schema and no rows."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    command = [PYTHON, "-m", "benchmarks.datasets", "--schema-only", "--out", str(path)]
    subprocess.run(command, cwd=ROOT, check=True)
    return path


def run_measured(command: list[str], env: dict, output: Path) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MiB, output) of a command run to completion."""
    with output.open("w+b") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{text[-2000:]}")
    # ru_maxrss is in KiB on Linux. CPU time shows the cost when other jobs share the cores.
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def _summary(text: str) -> dict[str, int]:
    """The loader's closing line 'read N · inserted N · …' as a dict."""
    line = next((t for t in reversed(text.splitlines()) if t.startswith("read ")), "")
    return {k.replace(" ", "_"): int(v) for k, v in re.findall(r"([a-z][a-z ]*?) (\d+)", line)}


def ingest(kind: str, source: Path, label: str) -> dict:
    """Load `source` with `python -m batch ingest KIND` into a fresh directory."""
    return load_into(empty_directory(DATA_DIR / f"ingest-{label}.sqlite3"), kind, source, label)


def load_into(db: Path, kind: str, source: Path, label: str, *options: str) -> dict:
    """`python -m batch ingest KIND SOURCE OPTIONS` on the directory `db` as it is, measured."""
    command = [PYTHON, "-m", "batch", "ingest", kind, str(source), *options]
    command += ["--rejects", str(DATA_DIR / f"ingest-{label}-rejects.csv")]
    seconds, cpu, peak, text = run_measured(command, app_env(db), DATA_DIR / f"ingest-{label}.log")
    return {
        "seconds": round(seconds, 2),  # a rate from tenths would be off by up to 3% at 200k
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(peak, 1),
        "counts": _summary(text),
    }


def nppes(rows: int, seed: int) -> dict:
    """Generate (or reuse) an NPPES file of `rows` rows and load it."""
    label = f"nppes-{size_label(rows)}-s{seed}"
    path = DATA_DIR / f"{label}.csv"
    if not path.exists():
        log(f"writing {path.name}")
    write_nppes(path, rows, seed)
    found = ingest("nppes", path, label)
    found.update(rows=rows, rate=round(rows / found["seconds"], 1), file_mb=_mb(path))
    found["cpu_rate"] = round(rows / found["cpu_seconds"], 1)
    found["csv_floor"] = csv_floor(path)
    found["column_reader"] = column_reader(path)
    return found


def plan_net(practitioners: int, seed: int) -> dict:
    """Generate (or reuse) a Plan-Net folder and load it."""
    label = f"plan-net-{size_label(practitioners)}-s{seed}"
    folder = DATA_DIR / label
    if not folder.exists():
        log(f"writing {folder.name}/")
    write_plan_net(folder, practitioners, seed)
    found = ingest("plan-net", folder, label)
    resources = found["counts"].get("read", 0)
    found.update(resources=resources, rate=round(resources / found["seconds"], 1))
    found["cpu_rate"] = round(resources / found["cpu_seconds"], 1)
    found["file_mb"] = round(sum(_mb(p) for p in folder.iterdir()), 1)
    return found


def cms_dac(rows: int, seed: int) -> dict:
    """Generate (or reuse) a CMS Doctors & Clinicians file of `rows` rows and load it."""
    label = f"cms-dac-{size_label(rows)}-s{seed}"
    path = DATA_DIR / f"{label}.csv"
    if not path.exists():
        log(f"writing {path.name}")
        write_dac(path, rows, seed)
    found = ingest("cms-dac", path, label)
    found.update(rows=rows, rate=round(rows / found["seconds"], 1), file_mb=_mb(path))
    found["cpu_rate"] = round(rows / found["cpu_seconds"], 1)
    return found


def roster(rows: int) -> dict:
    """Generate (or reuse) a roster sorted by plan (one NPI's rows far apart) and load it."""
    label = f"roster-{size_label(rows)}"
    path = write_roster(DATA_DIR / f"{label}.csv", rows)
    found = ingest("roster", path, label)
    found.update(rows=rows, rate=round(rows / found["seconds"], 1), file_mb=_mb(path))
    found["cpu_rate"] = round(rows / found["cpu_seconds"], 1)
    return found


def csv_floor(path: Path) -> dict:
    """rows/s and rows/CPU-s of a bare csv.reader pass (the peer), timed in a fresh process."""
    # CPU time too: on a shared host the wall clock of two passes minutes apart moves by 2x.
    code = (
        "import csv,sys,time;t=time.perf_counter();c=time.process_time();"
        "f=open(sys.argv[1],newline='',encoding='utf-8');n=sum(1 for _ in csv.reader(f))-1;"
        "print(n,time.perf_counter()-t,time.process_time()-c)"
    )
    out = subprocess.run(
        [PYTHON, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    rows, seconds, cpu = out.stdout.split()
    rows, seconds, cpu = int(rows), float(seconds), float(cpu)
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rate": round(rows / seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_rate": round(rows / cpu, 1),
    }


def column_reader(path: Path) -> dict | None:
    """The pyarrow column-selective pass (benchmarks.column_reader) in a fresh process, with
    its peak RSS; None when pyarrow is not installed."""
    if not column_reader_module.available():
        return None
    command = [PYTHON, "-m", "benchmarks.column_reader", str(path)]
    label = path.stem + "-column-reader"
    _, _, peak, text = run_measured(command, dict(os.environ), DATA_DIR / f"{label}.log")
    found = json.loads(text.strip().splitlines()[-1])
    found["rate"] = round(found["rows"] / found["seconds"], 1)
    found["cpu_rate"] = round(found["rows"] / found["cpu_seconds"], 1)
    found["peak_rss_mb"] = round(peak, 1)
    return found


def _mb(path: Path) -> float:
    return round(path.stat().st_size / 2**20, 1)
