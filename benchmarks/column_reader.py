"""A column-selective CSV reader over an NPPES file, against the csv.reader floor.

Issue 20 asks whether a kept library's reader (pyarrow) beats the floor. This reads the
columns the loader reads (`ingest.nppes_fields.USED`, those the header has) as strings,
streaming 1 MiB blocks so memory stays flat, and only counts rows: the reading alone.
Run as `python -m benchmarks.column_reader FILE`; prints one JSON object. Needs pyarrow (the
`bench` extra); without it, `available()` is False and the bench says it skipped.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
import time

BLOCK_BYTES = 1 << 20  # 16 MiB blocks read as fast but hold ~270 MB at 1M rows; 1 MiB ~116


def available() -> bool:
    """Whether pyarrow is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def wanted_columns(path: str) -> list[str]:
    """The loader's columns that this file's header has, in the file's order."""
    from ingest.nppes_fields import USED

    with open(path, newline="", encoding="utf-8-sig") as f:
        header = [h.strip() for h in next(csv.reader(f), [])]
    return [c for c in header if c in USED]


def count_rows(path: str) -> dict:
    """Stream the file's wanted columns through pyarrow: rows, wall and CPU seconds."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    columns = wanted_columns(path)
    started, cpu = time.perf_counter(), time.process_time()
    convert = arrow_csv.ConvertOptions(
        include_columns=columns, column_types=dict.fromkeys(columns, pa.string())
    )
    options = arrow_csv.ReadOptions(block_size=BLOCK_BYTES)
    rows = 0
    with arrow_csv.open_csv(path, read_options=options, convert_options=convert) as reader:
        for batch in reader:
            rows += batch.num_rows
    return {
        "rows": rows,
        "columns": len(columns),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def main() -> None:
    """CLI entry point: one JSON object on stdout."""
    print(json.dumps(count_rows(sys.argv[1])))


if __name__ == "__main__":
    main()
