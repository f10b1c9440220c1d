"""A synthetic CMS Doctors & Clinicians file of any size, in the current 31-column layout.

Like the real file, a clinician has about 2.3 rows (one per address and group) and their rows
are spread over the file, not together: row i belongs to a clinician drawn at random. By
clinician: 10% behavioral health (the specialties the loader keeps, in the mix of
ingest/cms_dac_fields), 12% nurse practitioners without one (read, then out of scope) and the
rest other specialties as the real 40-row sample names them. A third of the rows name a group
(org_pac_id and Facility Name), a third of the clinicians bill telehealth; every address has a
known ZIP and a 10-digit phone.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROWS_PER_CLINICIAN = 2.3
BH_SHARE = 10  # percent of clinicians
NP_SHARE = 12
FIRST_NPI = 160_000_000  # first nine digits; the check digit is computed
STREETS = ("MAIN ST", "OAK AVE", "ELM ST", "PARK AVE", "MAPLE DR", "CEDAR LN", "WASHINGTON ST")
BH_SPECIALTIES = (
    "CLINICAL SOCIAL WORKER",
    "PSYCHIATRY",
    "CLINICAL PSYCHOLOGIST",
    "MENTAL HEALTH COUNSELOR",
    "MARRIAGE AND FAMILY THERAPIST",
    "GERIATRIC PSYCHIATRY",
    "ADDICTION MEDICINE",
)
OTHER_SPECIALTIES = (
    "INTERNAL MEDICINE",
    "CHIROPRACTIC",
    "FAMILY MEDICINE",
    "PHYSICAL THERAPY",
    "ORTHOPEDIC SURGERY",
    "PODIATRY",
    "DERMATOLOGY",
    "CARDIOVASCULAR DISEASE (CARDIOLOGY)",
    "OPTOMETRY",
    "EMERGENCY MEDICINE",
)
HEADER = [
    "NPI",
    " Ind_PAC_ID",
    " Ind_enrl_ID",
    " Provider Last Name",
    " Provider First Name",
    " Provider Middle Name",
    " suff",
    " gndr",
    " Cred",
    " Med_sch",
    " Grd_yr",
    " pri_spec",
    " sec_spec_1",
    " sec_spec_2",
    " sec_spec_3",
    " sec_spec_4",
    " sec_spec_all",
    " Telehlth",
    " Facility Name",
    " org_pac_id",
    " num_org_mem",
    " adr_ln_1",
    " adr_ln_2",
    " ln_2_sprs",
    " City/Town",
    " State",
    " ZIP Code",
    " Telephone Number",
    " ind_assgn",
    " grp_assgn",
    " adrs_id",
]


class RowMaker:
    """Makes the rows of clinician k, the same person whichever row names them."""

    def __init__(self, rows: int, seed: int):
        from demo.names import SURNAMES
        from directory.geography import DATA_DIR
        from matching.states import state_for_zip

        with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
            zips = [row["zcta5"] for row in csv.DictReader(f)]
        self.places = [(z, state_for_zip(z) or "MA") for z in zips]
        self.surnames = [name.upper() for name in SURNAMES]
        self.clinicians = max(1, int(rows / ROWS_PER_CLINICIAN))
        self.rng = random.Random(f"dac-{seed}")

    def specialty(self, k: int) -> str:
        share = k % 100
        if share < BH_SHARE:
            return BH_SPECIALTIES[k % len(BH_SPECIALTIES)]
        if share < BH_SHARE + NP_SHARE:
            return "NURSE PRACTITIONER"
        return OTHER_SPECIALTIES[k % len(OTHER_SPECIALTIES)]

    def row(self) -> list[str]:
        """One row: a clinician drawn at random, at a new address, maybe with a group."""
        from directory.npi import npi_check_digit

        rng = self.rng
        k = rng.randrange(self.clinicians)
        first_nine = str(FIRST_NPI + k)
        zip_code, state = rng.choice(self.places)
        group = rng.random() < 1 / 3
        pac = str(4_000_000_000 + k // 5) if group else ""
        values = {
            "NPI": first_nine + str(npi_check_digit(first_nine)),
            "Provider Last Name": self.surnames[k % len(self.surnames)],
            "Provider First Name": "ALEX",
            "gndr": "MF"[k % 2],
            "pri_spec": self.specialty(k),
            "Telehlth": "Y" if k % 3 == 0 else "",
            "Facility Name": f"GROUP PRACTICE {pac}" if group else "",
            "org_pac_id": pac,
            "adr_ln_1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
            "City/Town": "SPRINGFIELD",
            "State": state,
            "ZIP Code": zip_code + f"{rng.randint(0, 9999):04d}",
            "Telephone Number": str(rng.randint(2_000_000_000, 9_999_999_999)),
        }
        return [values.get(name.strip(), "") for name in HEADER]


def write_dac(path: Path, rows: int, seed: int) -> Path:
    """Write the file (header plus `rows` rows) unless it is already there."""
    if path.exists():
        return path
    maker = RowMaker(rows, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for _ in range(rows):
            writer.writerow(maker.row())
    partial.rename(path)
    return path
