"""The benchmark's weekly file: rows of the full file, updated, some moved, and new NPIs."""

import csv

from benchmarks.nppes_file import write_nppes
from benchmarks.nppes_weekly import LAST_UPDATE, LINE1, WEEK_UPDATED, write_weekly
from ingest.nppes_scope import Scope


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_weekly_file_updates_full_file_rows_moves_half_in_scope_and_adds_new_npis(tmp_path):
    full = write_nppes(tmp_path / "full.csv", 400, seed=3)

    weekly = _rows(write_weekly(full, tmp_path / "weekly.csv", 40, seed=3))

    by_npi = {row["NPI"]: row for row in _rows(full)}
    old = [row for row in weekly if row["NPI"] in by_npi]
    assert (len(weekly), len(old)) == (40, 36)
    assert len({row["NPI"] for row in weekly}) == 40
    assert all(row[LAST_UPDATE] == WEEK_UPDATED for row in old)
    scope = Scope()
    kept = [row for row in old if scope(row)]
    moved = [row for row in kept if row[LINE1] != by_npi[row["NPI"]][LINE1]]
    assert kept and len(moved) == (len(kept) + 1) // 2
    assert all(row[LINE1].endswith(" MARKET ST") for row in moved)
