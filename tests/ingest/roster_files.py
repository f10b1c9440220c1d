"""Roster test helpers: the shipped sample, writing edited copies, loading with a reject report."""

import csv
from pathlib import Path

from sqlalchemy import func, select

from directory.models import Clinician
from ingest.report import RejectReport, read_rejects
from ingest.roster import load_roster

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "samples" / "roster_sample.csv"
WEI_CHEN = "1907331031"
JAMIE_LEE = "1919898514"


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_roster(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def load(path: Path, tmp_path: Path, batch_size: int = 7, partial: bool = False):
    rejects = tmp_path / f"rejects-{path.stem}.csv"
    with RejectReport(rejects) as report:
        summary = load_roster(path, report, batch_size=batch_size, partial=partial)
    found = read_rejects(rejects) if rejects.exists() else []
    return summary, found


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def clinician(db, npi: str) -> Clinician:
    return db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()
