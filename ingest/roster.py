"""Plan roster CSV loader: one row per clinician per location per plan, sorted by NPI.

Consecutive rows with the same NPI are merged into one clinician; each plan the clinician is
listed in becomes one ClinicianRecord with source "roster:<plan id>", so a plan's reload
replaces only that plan's locations and participations. See the README for the columns.
"""

from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path

from directory.extensions import db
from directory.geography import ZipRepair
from directory.taxonomy import is_behavioral_health
from ingest.reading import CsvRow, read_csv
from ingest.records import save_clinicians
from ingest.report import LoadSummary, RejectReport
from ingest.roster_fields import CellFault
from ingest.roster_merge import NpiGroup
from ingest.roster_plans import PlanBook
from ingest.roster_rows import REQUIRED_COLUMNS, RosterRow, parse_row
from ingest.roster_store import (
    count_batch,
    end_listings,
    set_hour_flags,
    set_verification_methods,
)
from ingest.store import Batcher


def load_roster(path: Path, report: RejectReport, batch_size: int = 1000) -> LoadSummary:
    """Load a roster file; bad rows go to `report`, a missing required column refuses the file."""
    load = RosterLoad(Path(path).name, report, batch_size)
    for row in read_csv(path, REQUIRED_COLUMNS):
        load.take(row)
    load.finish()
    return load.summary


class RosterLoad:
    """The state of one roster load: the open NPI group, the plans seen, the pending batch."""

    def __init__(self, file_name: str, report: RejectReport, batch_size: int):
        self.file_name = file_name
        self.report = report
        self.summary = LoadSummary()
        self.today = datetime.now(UTC).date()
        self.plans = PlanBook()
        self.group: NpiGroup | None = None
        self.group_rows = 0
        self.group_repairs: list[tuple[int, str, ZipRepair]] = []  # reported if the group is kept
        # First line of every NPI already closed: a later row for it means the file is unsorted.
        self.closed: dict[str, int] = {}
        # NPIs each plan's rows name (rejected rows too): the plan's clinicians stay listed.
        self.mentioned: dict[str, set[str]] = {}
        self.counted: set[str] = set()
        self.unchanged: set[str] = set()
        self.batcher = Batcher(self._save, batch_size, refused=self._refused, summary=self.summary)

    def take(self, csv_row: CsvRow) -> None:
        """Check one row and merge it into its NPI's group, or reject it."""
        self.summary.read += 1
        plan_id = (csv_row.values.get("plan_id") or "").strip()
        self.mentioned.setdefault(plan_id, set()).add((csv_row.values.get("npi") or "").strip())
        try:
            if csv_row.problem:
                raise CellFault(*csv_row.problem, csv_row.value)
            row = parse_row(csv_row.line, csv_row.values, self.today)
            self.plans.check(row.plan)
            self._merge(row)
        except CellFault as fault:
            self.summary.rejected += 1
            self.report.reject(self.file_name, csv_row.line, fault.field, fault.reason, fault.value)
            return
        self.plans.note(row.plan, row.line)
        self.group_repairs.extend((row.line, column, repair) for column, repair in row.repairs)

    def _merge(self, row: RosterRow) -> None:
        if self.group is None or self.group.npi != row.npi:
            if row.npi in self.closed:
                raise CellFault(
                    "npi",
                    f"NPI already listed from line {self.closed[row.npi]}; "
                    "the roster must be sorted by NPI",
                    row.npi,
                )
            self._close_group()
            self.group = NpiGroup(row.npi, row.line)
        self.group.add(row)
        self.group_rows += 1

    def _close_group(self) -> None:
        group, rows, repairs = self.group, self.group_rows, self.group_repairs
        self.group, self.group_rows, self.group_repairs = None, 0, []
        if group is None:
            return
        self.closed[group.npi] = group.first_line
        codes = [code for code, _ in group.unions.get("taxonomies", [])]
        if not is_behavioral_health(codes):
            self.summary.out_of_scope += rows
            return
        for line, column, repair in repairs:
            self.report.repair(self.file_name, line, column, *astuple(repair))
            self.summary.repaired += 1
        self.batcher.add(group, group)

    def finish(self) -> None:
        """Save the last group and the last batch, then end listings the roster dropped."""
        self._close_group()
        self.batcher.flush()
        ended = end_listings({p: self.mentioned.get(p, set()) for p in sorted(self.plans.plans)})
        if ended:
            db.session.commit()
        # A clinician who left a plan changed, even when their other plans did not.
        self.summary.updated += len(ended - self.counted) + len(ended & self.unchanged)
        self.summary.unchanged -= len(ended & self.unchanged)

    def _refused(self, group: NpiGroup, reason: str) -> None:
        """Every row of a clinician the database refused when saved on its own."""
        for line in sorted(set(group.listed_at.values())):
            self.report.reject(self.file_name, line, "(row)", reason, group.npi)
            self.summary.rejected += 1

    def _save(self, groups: list[NpiGroup]) -> None:
        """Upsert one batch: plans first, then clinicians, then what records cannot carry."""
        records = [record for group in groups for record in group.records()]
        self.plans.save({record.source.removeprefix("roster:") for record in records})
        self.unchanged |= count_batch(records, self.summary)
        self.counted.update(record.npi for record in records)
        save_clinicians(records, LoadSummary())  # counted per clinician above, not per plan
        set_hour_flags(groups)
        set_verification_methods(groups)
