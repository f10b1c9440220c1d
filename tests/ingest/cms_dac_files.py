"""CMS Doctors & Clinicians test files: the shipped 40-row sample and generated layouts."""

import csv
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.dac_file import HEADER
from directory.models import Clinician
from directory.npi import npi_check_digit
from ingest.cms_dac import load_cms_dac
from ingest.report import RejectReport, read_rejects, repairs_path

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "cms-dac"
    / "DAC_NationalDownloadableFile_first40.csv"
)
# The layout CMS publishes now (2024 on), with the leading spaces its header carries: the
# benchmark's generator writes the same one.
CURRENT = HEADER


def npi(first_nine: str) -> str:
    """A valid NPI (Luhn check digit added) from nine digits."""
    return first_nine + str(npi_check_digit(first_nine))


def row(number: str, **cells: str) -> dict[str, str]:
    """A current-layout row for a clinical social worker in Cambridge, MA, with `cells` over it."""
    base = {
        "NPI": number,
        "Provider Last Name": "RIVERA",
        "Provider First Name": "ANA",
        "gndr": "F",
        "Cred": "",
        "pri_spec": "CLINICAL SOCIAL WORKER",
        "Telehlth": "",
        "adr_ln_1": "1 MAIN ST",
        "City/Town": "CAMBRIDGE",
        "State": "MA",
        "ZIP Code": "021391234",
        "Telephone Number": "6175550100",
    }
    return base | cells


def write(path: Path, rows: list[dict[str, str]], header: list[str] = CURRENT) -> Path:
    """Write `rows` (keyed by stripped names) under `header` (names as the file spells them)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for values in rows:
            writer.writerow([values.get(name.strip(), "") for name in header])
    return path


def load(path: Path, tmp_path: Path, batch_size: int = 3):
    """Load with a small batch; the summary, rejects and repairs as lists of dicts."""
    rejects = tmp_path / f"rejects-{path.stem}.csv"
    with RejectReport(rejects) as report:
        summary = load_cms_dac(path, report, batch_size=batch_size)
    found = read_rejects(rejects) if rejects.exists() else []
    repairs = repairs_path(rejects)
    fixed = read_rejects(repairs) if repairs.exists() else []
    return summary, found, fixed


def clinician(db, number: str) -> Clinician:
    return db.session.scalars(select(Clinician).where(Clinician.npi == number)).one()


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
