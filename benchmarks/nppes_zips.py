"""NPPES ingest on a generated file and on its copy with ZIPs no ZCTA has (issue 14, item 8).

`python -m benchmarks.nppes_zips LABEL ROWS` writes (or reuses) the generated NPPES file and a
copy in which every 10th row has, in turn, UConn Health's unique ZIP 06030, the made-up 00000
or its ZIP without leading zeros; it loads both with the real CLI and prints one JSON line.
Run it from two checkouts (with BENCH_DATA_DIR shared) to compare before and after a change.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from benchmarks.common import DATA_DIR, size_label
from benchmarks.ingest_bench import ingest
from benchmarks.nppes_file import write_nppes

POSTAL = "Provider Business Practice Location Address Postal Code"
EVERY = 10


def write_zip_variant(plain: Path, path: Path) -> Path:
    """`plain` with every EVERY-th row's practice ZIP replaced (unless the copy exists)."""
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    with (
        plain.open(encoding="utf-8", newline="") as f,
        partial.open("w", encoding="utf-8", newline="") as out,
    ):
        rows = csv.reader(f)
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        header = next(rows)
        writer.writerow(header)
        column = header.index(POSTAL)
        for index, row in enumerate(rows):
            if index % EVERY == 0:
                stripped = row[column][:5].lstrip("0") or "1"
                row[column] = ("06030", "00000", stripped)[index // EVERY % 3]
            writer.writerow(row)
    partial.rename(path)
    return path


def main(label: str, rows: int, seed: int = 7) -> dict:
    """Load the plain file and its ZIP variant; wall and CPU seconds, peak RSS, counts."""
    plain = write_nppes(DATA_DIR / f"nppes-{size_label(rows)}-s{seed}.csv", rows, seed)
    variant = write_zip_variant(plain, plain.with_name(plain.stem + "-zips.csv"))
    return {
        name: ingest("nppes", path, f"{label}-{name}")
        for name, path in (("plain", plain), ("zips", variant))
    }


if __name__ == "__main__":
    print(json.dumps({sys.argv[1]: main(sys.argv[1], int(sys.argv[2]))}))
