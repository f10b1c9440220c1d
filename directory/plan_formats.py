"""Setting plans' member-id formats: each with its source, one by one or from a CSV (all or none).

The commands (`flask plans`, accounts.cli) audit each change; this module only checks and saves.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from directory.extensions import db
from directory.member_ids import SOURCE_MAX, check_format
from directory.models import Network

COLUMNS = ("plan_id", "member_id_format", "source")


def check_source(text: str | None) -> str:
    """The source, stripped; ValueError when it is blank or too long."""
    source = (text or "").strip()
    if not source or len(source) > SOURCE_MAX:
        raise ValueError(f"say where the format comes from (1 to {SOURCE_MAX} characters)")
    return source


def find_plan(plan_id: str) -> Network:
    """The plan called `plan_id`; ValueError for an unknown id or a network that is no plan."""
    plan = db.session.get(Network, plan_id.strip())
    if plan is None or plan.kind != "plan":
        raise ValueError(f"no plan {plan_id!r}")
    return plan


def plans() -> list[Network]:
    """Every plan, by id."""
    return list(
        db.session.scalars(select(Network).where(Network.kind == "plan").order_by(Network.id))
    )


def save_format(plan: Network, member_id_format: str | None, source: str | None) -> None:
    """Set (or clear, with None) a plan's format and its source; the caller commits."""
    plan.member_id_format, plan.member_id_format_source = member_id_format, source


def read_format_rows(path: Path) -> list[tuple[Network, str, str]]:
    """Every row of the CSV checked; ValueError naming each bad line (then nothing is saved)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        rows, faults = [], []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append(
                    (find_plan(row["plan_id"] or ""), check_format(row["member_id_format"] or ""),
                     check_source(row["source"]))
                )  # fmt: skip
            except ValueError as err:
                faults.append(f"line {line}: {err}")
    if faults:
        raise ValueError("nothing loaded:\n" + "\n".join(faults))
    return rows
