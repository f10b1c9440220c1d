"""A weekly NPPES update on a big directory (issue 20 target 4: 50k rows on a 1M build).

`python -m benchmarks.nppes_weekly FULL WEEKLY [--seed N] [--reuse-build]` writes (or reuses)
the generated full file (nppes_file.py), loads it into a fresh directory with the real CLI
(timed, with its csv.reader floor), then writes a weekly file of WEEKLY rows shaped like CMS's
weekly incremental file: the same layout, only NPIs that changed. 90% of its rows are rows of
the full file taken evenly (the same mix: 12% in scope), each with a new Last Update Date, and
every other in-scope one at a new practice address; 10% are newly enumerated NPIs. That file is
loaded with `flask ingest nppes --incremental` into a copy of the built directory; one JSON
line says both loads' wall and CPU seconds, peak RSS and counts.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
from pathlib import Path

from benchmarks.common import DATA_DIR, log, parse_size, size_label
from benchmarks.ingest_bench import csv_floor, ingest, load_into
from benchmarks.nppes_file import RowMaker, _line, write_nppes

WEEK_UPDATED = "12/04/2026"  # the weekly file's Last Update Date: after every full-file date
NEW_SHARE = 0.10  # newly enumerated NPIs in a weekly file
LAST_UPDATE = "Last Update Date"
LINE1 = "Provider First Line Business Practice Location Address"


def write_weekly(full: Path, path: Path, rows: int, seed: int) -> Path:
    """The weekly file for `full` (unless it exists); `full` has one record per line."""
    if path.exists():
        return path
    from ingest.nppes_scope import Scope

    with full.open("rb") as f:
        total = sum(1 for _ in f) - 1
    taken = rows - int(rows * NEW_SHARE)
    step = max(1, total // taken)
    scope = Scope()
    partial = path.with_name(path.name + ".partial")
    with full.open(encoding="utf-8", newline="") as f, partial.open("w", encoding="utf-8") as out:
        header = next(csv.reader([next(f)]))
        out.write(_line(header))
        column = {name: i for i, name in enumerate(header)}
        written = in_scope = 0
        for index, line in enumerate(f):
            if index % step or written >= taken:
                continue
            fields = next(csv.reader([line]))
            fields[column[LAST_UPDATE]] = WEEK_UPDATED
            if scope(dict(zip(header, fields, strict=True))):
                in_scope += 1
                if in_scope % 2:  # moved practice
                    fields[column[LINE1]] = f"{index % 9000 + 1000} MARKET ST"
            out.write(_line(fields))
            written += 1
        maker = RowMaker(seed + 1)
        for k in range(rows - written):
            out.write(_line(maker.row(total + k)))  # NPIs after the full file's: new ones
    partial.rename(path)
    return path


def main(full_rows: int, weekly_rows: int, seed: int, reuse_build: bool) -> dict:
    """Build (or reuse) the directory from the full file, then load the weekly file on a copy."""
    label = f"nppes-{size_label(full_rows)}-s{seed}"
    full = write_nppes(DATA_DIR / f"{label}.csv", full_rows, seed)
    weekly = DATA_DIR / f"{label}-weekly-{size_label(weekly_rows)}.csv"
    write_weekly(full, weekly, weekly_rows, seed)
    built = DATA_DIR / f"ingest-{label}.sqlite3"
    found: dict = {}
    if not (reuse_build and built.exists()):
        log(f"loading {full.name}")
        found["full"] = ingest("nppes", full, label)
        found["full"]["csv_floor"] = csv_floor(full)
    copy = DATA_DIR / f"ingest-{label}-weekly.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
        if Path(f"{built}{suffix}").exists():
            shutil.copyfile(f"{built}{suffix}", f"{copy}{suffix}")
    log(f"loading {weekly.name} --incremental")
    found["weekly"] = load_into(copy, "nppes", weekly, f"{label}-weekly", "--incremental")
    found["weekly"]["rows"] = weekly_rows
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", type=parse_size)
    parser.add_argument("weekly", type=parse_size)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse-build", action="store_true")
    args = parser.parse_args()
    print(json.dumps(main(args.full, args.weekly, args.seed, args.reuse_build)))
