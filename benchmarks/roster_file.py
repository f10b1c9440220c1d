"""A synthetic plan roster of any size, sorted by plan as plans export them.

Rows are copies of the shipped sample's rows (ingest/samples/roster_sample.csv) with fresh
Luhn-valid NPIs: every clinician is listed in two plans, and the file holds all of the first
plan's rows, then all of the second's, so one NPI's two rows are half the file apart (the
case a loader that needs rows grouped by NPI cannot take). Written streaming.
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.common import ROOT

SAMPLE = ROOT / "ingest" / "samples" / "roster_sample.csv"
FIRST_NPI = 160_000_000  # first nine digits; the check digit is computed
PLANS = (
    {"plan_id": "example-hmo", "plan_name": "Example Health HMO", "plan_type": "HMO",
     "payer": "Example Health Plan", "network_id": "example-bh-net",
     "network_name": "Example Behavioral Health Network"},
    {"plan_id": "sample-care-ppo", "plan_name": "Sample Care PPO", "plan_type": "PPO",
     "payer": "Sample Care Insurance Company", "network_id": "", "network_name": ""},
)  # fmt: skip


def _npi(index: int) -> str:
    from directory.npi import npi_check_digit

    first_nine = str(FIRST_NPI + index)
    return first_nine + str(npi_check_digit(first_nine))


def write_roster(path: Path, rows: int) -> Path:
    """Write `rows` rows (rounded down to even: two plans per clinician) unless present."""
    if path.exists():
        return path
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, templates = list(reader.fieldnames or []), list(reader)
    path.parent.mkdir(parents=True, exist_ok=True)
    clinicians = rows // 2
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        for plan in PLANS:
            for index in range(clinicians):
                template = templates[index % len(templates)]
                row = template | plan | {"npi": _npi(index), "provider_id": f"P{index}"}
                writer.writerow(row)
    return path
