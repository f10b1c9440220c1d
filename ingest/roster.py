"""Plan roster CSV loader: one row per clinician per location per plan, in any order.

Rows are checked as read and spooled to disk (ingest.roster_spool); the rows of each NPI are
then merged into one clinician, wherever they stood in the file. Each plan the clinician is
listed in becomes one ClinicianRecord with source "roster:<plan id>", so a plan's reload
replaces only that plan's locations and participations. A full roster (the default) is the
plan's whole list: clinicians it no longer names leave the plan. A partial roster changes only
the clinicians it names. See the README for the columns.
"""

from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path

from directory.extensions import db
from directory.geography import ZipRepair
from directory.taxonomy import is_behavioral_health
from ingest.placement import CITY_NOTE, UNPLACED_NOTE
from ingest.reading import CsvRow, read_csv
from ingest.report import LoadSummary, RejectReport
from ingest.roster_fields import CellFault
from ingest.roster_merge import NpiGroup
from ingest.roster_plans import PlanBook
from ingest.roster_rows import REQUIRED_COLUMNS, RosterRow, parse_row
from ingest.roster_spool import RowSpool
from ingest.roster_store import (
    count_batch,
    end_listings,
    set_hour_flags,
    set_verification_methods,
)
from ingest.saving import save_clinicians
from ingest.store import Batcher


def load_roster(
    path: Path, report: RejectReport, batch_size: int = 1000, partial: bool = False
) -> LoadSummary:
    """Load a roster file; bad rows go to `report`, a missing required column refuses the file.

    `partial`: the file holds only some of the plans' clinicians, so none is ended for being
    absent from it.
    """
    load = RosterLoad(Path(path).name, report, batch_size, partial)
    try:
        for row in read_csv(path, REQUIRED_COLUMNS):
            load.take(row)
        load.finish()
    finally:
        load.spool.close()
    return load.summary


class RosterLoad:
    """The state of one roster load: the spooled rows, the plans seen, the pending batch."""

    def __init__(self, file_name: str, report: RejectReport, batch_size: int, partial: bool):
        self.file_name = file_name
        self.report = report
        self.partial = partial
        self.summary = LoadSummary()
        self.today = datetime.now(UTC).date()
        self.plans = PlanBook()
        self.spool = RowSpool()
        self.counted: set[str] = set()
        self.unchanged: set[str] = set()
        self.batcher = Batcher(self._save, batch_size, refused=self._refused, summary=self.summary)

    def take(self, csv_row: CsvRow) -> None:
        """Check one row and spool it, or reject it."""
        self.summary.read += 1
        plan_id = (csv_row.values.get("plan_id") or "").strip()
        # Rejected rows count too: a plan's clinician whose row is bad stays listed.
        self.spool.mention(plan_id, (csv_row.values.get("npi") or "").strip())
        try:
            if csv_row.problem:
                raise CellFault(*csv_row.problem, csv_row.value)
            row = parse_row(csv_row.line, csv_row.values, self.today)
            self.plans.check(row.plan)
        except CellFault as fault:
            self._reject(csv_row.line, fault)
            return
        self.plans.note(row.plan, row.line)
        self.spool.add(row)

    def _reject(self, line: int, fault: CellFault) -> None:
        self.summary.rejected += 1
        self.report.reject(self.file_name, line, fault.field, fault.reason, fault.value)

    def _merge(self, rows: list[RosterRow]) -> None:
        """Merge one NPI's rows; a row contradicting those merged before it is rejected."""
        group = NpiGroup(rows[0].npi, min(row.line for row in rows))
        kept: list[RosterRow] = []
        for row in rows:
            try:
                group.add(row)
            except CellFault as fault:
                self._reject(row.line, fault)
                continue
            kept.append(row)
        codes = [code for code, _ in group.unions.get("taxonomies", [])]
        if not kept or not is_behavioral_health(codes):
            self.summary.out_of_scope += len(kept)
            return
        for row in kept:
            for column, repair in row.repairs:
                self.report.repair(self.file_name, row.line, column, *astuple(repair))
                self._count(repair)
        self.batcher.add(group, group)

    def _count(self, repair: ZipRepair) -> None:
        """A location kept off the map counts as unplaced; one placed by its city, as neither."""
        if repair.after == UNPLACED_NOTE:
            self.summary.unplaced += 1
        elif repair.after != CITY_NOTE:
            self.summary.repaired += 1

    def finish(self) -> None:
        """Merge and save every NPI's rows, then (full roster) end listings the file dropped."""
        for rows in self.spool.groups():
            self._merge(rows)
        self.batcher.flush()
        if self.partial:
            return
        plans = sorted(self.plans.plans)
        ended = end_listings({plan: self.spool.mentioned(plan) for plan in plans})
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
