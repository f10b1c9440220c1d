"""A synthetic NPPES dissemination file of any size, in the real 329-column layout.

Rows are copies of the real rows in tests/data/nppes (the 300-row individual sample and the 40
organizations) with fresh Luhn-valid NPIs and names; the mix follows the full file: about 20%
organizations (entity type 2), 12% individual behavioral-health clinicians (in scope, with a
BH taxonomy, a known ZIP and a fresh address) and the rest other individual providers. Every
field is quoted, as CMS writes it.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from benchmarks.common import ROOT

SAMPLES = ROOT / "tests" / "data" / "nppes"
BH_SHARE = 0.12
ORG_SHARE = 0.20
FIRST_NPI = 150_000_000  # first nine digits; the check digit is computed
STREETS = ("MAIN ST", "OAK AVE", "ELM ST", "PARK AVE", "MAPLE DR", "CEDAR LN", "WASHINGTON ST")


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (SAMPLES / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _line(fields: list[str]) -> str:
    return '"' + '","'.join(f.replace('"', '""') for f in fields) + '"\n'


class RowMaker:
    """Makes row i of the file from the real templates."""

    def __init__(self, seed: int):
        from demo.names import SURNAMES
        from demo.population import TAXONOMY_MIX
        from directory.geography import DATA_DIR
        from ingest.nppes_scope import Scope

        self.header, people = _read("npidata_sample_300.csv")
        _, self.orgs = _read("npidata_organizations_40.csv")
        scope = Scope()
        in_scope = [scope(dict(zip(self.header, row, strict=True))) for row in people]
        self.bh = [row for row, keep in zip(people, in_scope, strict=True) if keep]
        self.others = [row for row, keep in zip(people, in_scope, strict=True) if not keep]
        self.column = {name: i for i, name in enumerate(self.header)}
        self.taxonomies = [code for code, _, _ in TAXONOMY_MIX]
        self.taxonomy_weights = [share for _, share, _ in TAXONOMY_MIX]
        self.surnames = [name.upper() for name in SURNAMES]
        with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
            self.zips = [row["zcta5"] for row in csv.DictReader(f)]
        self.rng = random.Random(f"nppes-{seed}")

    def npi(self, index: int) -> str:
        """A valid NPI unique to row `index`."""
        from directory.npi import npi_check_digit

        first_nine = str(FIRST_NPI + index)
        return first_nine + str(npi_check_digit(first_nine))

    def row(self, index: int) -> list[str]:
        """Row `index`: an organization, a BH clinician, or another individual provider."""
        draw = self.rng.random()
        if draw < ORG_SHARE:
            fields = list(self.rng.choice(self.orgs))
        elif draw < ORG_SHARE + BH_SHARE:
            fields = self._clinician(list(self.rng.choice(self.bh)))
        else:
            fields = list(self.rng.choice(self.others))
            fields[self.column["Provider Last Name (Legal Name)"]] = self.rng.choice(self.surnames)
        fields[self.column["NPI"]] = self.npi(index)
        return fields

    def _clinician(self, fields: list[str]) -> list[str]:
        """A BH clinician at a new practice address with a known ZIP."""
        from matching.states import state_for_zip

        c, rng = self.column, self.rng
        fields[c["Provider Last Name (Legal Name)"]] = rng.choice(self.surnames)
        fields[c["Healthcare Provider Taxonomy Code_1"]] = rng.choices(
            self.taxonomies, self.taxonomy_weights
        )[0]
        zip_code = rng.choice(self.zips)
        practice = "Provider First Line Business Practice Location Address"
        fields[c[practice]] = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
        state = "Provider Business Practice Location Address State Name"
        fields[c[state]] = state_for_zip(zip_code) or fields[c[state]]
        fields[c["Provider Business Practice Location Address Postal Code"]] = zip_code
        fields[c["NPI Deactivation Date"]] = ""
        fields[c["NPI Deactivation Reason Code"]] = ""
        return fields


def write_nppes(path: Path, rows: int, seed: int) -> Path:
    """Write the file (header plus `rows` rows) unless it is already there."""
    if path.exists():
        return path
    maker = RowMaker(seed)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as f:
        f.write(_line(maker.header))
        for index in range(rows):
            f.write(_line(maker.row(index)))
    partial.rename(path)
    return path
