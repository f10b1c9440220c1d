"""Print artifacts/fuzz/api.json as a table: cases, statuses and failures per check, per run."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def lines(report: dict) -> list[str]:
    """One line per run, then a total."""
    out = [f"schemathesis, {report['examples']} examples per operation and mode"]
    total_cases, total_failed = 0, 0
    for run, entry in sorted(report["runs"].items()):
        failed = {name: c["failed"] for name, c in sorted(entry["checks"].items())}
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(entry["statuses"].items()))
        out.append(f"{run}: {entry['cases']} cases ({statuses}); failures {failed}")
        total_cases += entry["cases"]
        total_failed += sum(failed.values())
    out.append(f"total: {total_cases} cases, {total_failed} check failures")
    return out


if __name__ == "__main__":
    print("\n".join(lines(json.loads(Path(sys.argv[1]).read_text("utf-8")))))
