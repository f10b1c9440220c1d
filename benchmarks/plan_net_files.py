"""A synthetic Da Vinci PDex Plan-Net set: one NDJSON file per resource type, in a folder.

Shaped like a payer's directory export: three networks and two plans; group practices of about
eight practitioners with two sites each; one or two PractitionerRoles per practitioner (network,
specialty, sites, newpatients); two thirds of the practitioners in behavioral-health scope,
the rest medical (read and skipped, as in a real payer file).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

BASE = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
NUCC = "http://nucc.org/provider-taxonomy"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NETWORKS = ("BenchStdNet", "BenchPremNet", "BenchMedicaidNet")
PLANS = {"BenchGold": NETWORKS[:2], "BenchMedicaid": NETWORKS[2:]}
MEDICAL = ("207Q00000X", "207R00000X", "363LF0000X", "208D00000X", "207V00000X")
PRACTICE_SIZE = 8
BH_SHARE = 2 / 3
FIRST_NPI = 160_000_000


def _coding(system: str, code: str) -> dict:
    return {"coding": [{"system": system, "code": code}]}


def _org_type(code: str) -> list[dict]:
    return [_coding(f"{BASE}/CodeSystem/OrgTypeCS", code)]


def payer_resources() -> list[dict]:
    """The networks and the plans they serve."""
    found = [
        {"resourceType": "Organization", "id": n, "active": True, "type": _org_type("ntwk"),
         "name": f"Bench {n}"}
        for n in NETWORKS
    ]  # fmt: skip
    for plan, networks in PLANS.items():
        found.append(
            {"resourceType": "InsurancePlan", "id": plan, "status": "active", "name": plan,
             "network": [{"reference": f"Organization/{n}"} for n in networks]}
        )  # fmt: skip
    return found


class PlanNetMaker:
    """Makes practice i: its Organization, Locations, Practitioners and PractitionerRoles."""

    def __init__(self, seed: int):
        from demo.names import FEMALE, MALE, SURNAMES
        from demo.population import TAXONOMY_MIX
        from directory.geography import DATA_DIR

        self.rng = random.Random(f"plan-net-{seed}")
        self.given, self.surnames = FEMALE + MALE, SURNAMES
        self.bh = [code for code, _, _ in TAXONOMY_MIX]
        with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
            self.zips = [
                (r["zcta5"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)
            ]
        self.npis = 0

    def _npi(self) -> str:
        from directory.npi import npi_check_digit

        self.npis += 1
        first_nine = str(FIRST_NPI + self.npis)
        return first_nine + str(npi_check_digit(first_nine))

    def practice(self, index: int) -> dict[str, list[dict]]:
        """Resources of practice `index`, by resource type."""
        from matching.states import state_for_zip

        zip_code, lat, lon = self.rng.choice(self.zips)
        state = state_for_zip(zip_code) or "MA"
        org = {
            "resourceType": "Organization", "id": f"org{index}", "active": True,
            "identifier": [{"system": NPI_SYSTEM, "value": self._npi()}],
            "type": _org_type("prvgrp"), "name": f"Bench Practice {index}",
        }  # fmt: skip
        sites = [self._location(index, n, zip_code, state, lat, lon) for n in range(2)]
        found: dict[str, list[dict]] = {"Organization": [org], "Location": sites}
        found["Practitioner"], found["PractitionerRole"] = [], []
        for n in range(PRACTICE_SIZE):
            person, roles = self._practitioner(f"p{index}x{n}", org, sites, state)
            found["Practitioner"].append(person)
            found["PractitionerRole"].extend(roles)
        return found

    def _location(self, index: int, n: int, zip_code: str, state: str, lat: float, lon: float):
        rng = self.rng
        return {
            "resourceType": "Location", "id": f"loc{index}x{n}", "status": "active",
            "name": f"Bench Practice {index} site {n + 1}",
            "address": {"line": [f"{rng.randint(1, 9999)} Main Street"], "city": "Benchville",
                        "state": state, "postalCode": zip_code},
            "position": {"latitude": round(lat + rng.uniform(-0.05, 0.05), 5),
                         "longitude": round(lon + rng.uniform(-0.05, 0.05), 5)},
            "managingOrganization": {"reference": f"Organization/org{index}"},
            "hoursOfOperation": [{"daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
                                  "openingTime": "08:00:00", "closingTime": "18:00:00"}],
        }  # fmt: skip

    def _practitioner(self, pid: str, org: dict, sites: list[dict], state: str):
        rng = self.rng
        code = rng.choice(self.bh) if rng.random() < BH_SHARE else rng.choice(MEDICAL)
        qualification = {
            "extension": [{"url": f"{BASE}/StructureDefinition/practitioner-qualification",
                           "extension": [{"url": "status", "valueCode": "active"},
                                         {"url": "whereValid", "valueCodeableConcept":
                                          _coding("https://www.usps.com/", state)}]}],
            "code": _coding(NUCC, code),
        }  # fmt: skip
        person = {
            "resourceType": "Practitioner", "id": pid, "active": True,
            "identifier": [{"system": NPI_SYSTEM, "value": self._npi()}],
            "name": [{"family": rng.choice(self.surnames), "given": [rng.choice(self.given)]}],
            "qualification": [qualification],
        }  # fmt: skip
        roles = [self._role(f"{pid}r{n}", pid, org, site, code) for n, site in enumerate(
            sites if rng.random() < 0.3 else sites[:1]
        )]  # fmt: skip
        return person, roles

    def _role(self, rid: str, pid: str, org: dict, site: dict, code: str) -> dict:
        accepting = "newpt" if self.rng.random() < 0.8 else "nopt"
        return {
            "resourceType": "PractitionerRole", "id": rid, "active": True,
            "extension": [
                {"url": f"{BASE}/StructureDefinition/network-reference",
                 "valueReference": {"reference": f"Organization/{self.rng.choice(NETWORKS)}"}},
                {"url": f"{BASE}/StructureDefinition/newpatients", "extension": [
                    {"url": "acceptingPatients", "valueCodeableConcept":
                     _coding(f"{BASE}/CodeSystem/AcceptingPatientsCS", accepting)}]},
            ],
            "practitioner": {"reference": f"Practitioner/{pid}"},
            "organization": {"reference": f"Organization/{org['id']}"},
            "location": [{"reference": f"Location/{site['id']}"}],
            "specialty": [_coding(NUCC, code)],
        }  # fmt: skip


def write_plan_net(folder: Path, practitioners: int, seed: int) -> Path:
    """Write the NDJSON folder (about `practitioners` practitioners) unless already there."""
    if folder.exists():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    maker = PlanNetMaker(seed)
    names = ("Organization", "InsurancePlan", "Location", "Practitioner", "PractitionerRole")
    files = {name: (partial / f"{name}.ndjson").open("w", encoding="utf-8") for name in names}
    try:
        for resource in payer_resources():
            files[resource["resourceType"]].write(json.dumps(resource) + "\n")
        for index in range(max(1, practitioners // PRACTICE_SIZE)):
            for kind, resources in maker.practice(index).items():
                files[kind].writelines(json.dumps(r) + "\n" for r in resources)
    finally:
        for f in files.values():
            f.close()
    partial.rename(folder)
    return folder
