"""Benchmark programs: N services across the country in a SQLite file, cached by size and seed.

`python -m benchmarks.program_data --size 100k --seed 1` builds one. Sites sit at real ZIPs
weighted toward where people live (demo.places, as the clinician generator), a third of the
organizations run two or three services at one site, a tenth of the services have a second
site. The mix of kinds (pantries most, then treatment and housing), languages, hours, ages and
payment is deliberate and rough, like the clinician generator's. Rows go in through the driver
(executemany), so the program triggers run as they do for every writer.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import DATA_DIR, load_average, log, parse_size, size_label

MANIFEST_SUFFIX = ".json"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
ALL_WEEK = [*WEEKDAYS, "sat", "sun"]


@dataclass(frozen=True)
class Kind:
    """A kind of program: its facets, and the weight it has in the mix."""

    name: str
    weight: int
    needs: tuple[str, ...]
    levels: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    payments: tuple[str, ...] = ("free",)
    minimum_age: int | None = None


KINDS = (
    Kind("Community Food Pantry", 22, ("food",)),
    Kind("Meal Program", 8, ("food",)),
    Kind("Family Shelter", 8, ("housing",)),
    Kind("Rental Assistance", 5, ("housing", "utilities")),
    Kind("Rides to Care", 6, ("transportation",), payments=("free", "medicaid")),
    Kind("Energy Assistance", 5, ("utilities",)),
    Kind("Safe Harbor", 4, ("safety", "housing")),
    Kind("Opioid Treatment Program", 5, ("substance_use_treatment",), ("otp", "1"),
         ("methadone", "buprenorphine"), ("medicaid", "medicare", "sliding_scale"), 18),
    Kind("Outpatient Recovery Services", 10, ("substance_use_treatment",), ("1",),
         ("buprenorphine", "naltrexone"), ("medicaid", "private", "sliding_scale"), 12),
    Kind("Intensive Outpatient", 6, ("substance_use_treatment", "mental_health_program"),
         ("2.1",), ("buprenorphine",), ("medicaid", "private"), 16),
    Kind("Residential Treatment", 4, ("substance_use_treatment",), ("3.x",), ("naltrexone",),
         ("medicaid", "private"), 18),
    Kind("Detox Unit", 2, ("substance_use_treatment",), ("4",), ("buprenorphine",),
         ("medicaid", "medicare", "private"), 18),
    Kind("Mental Health Clubhouse", 9, ("mental_health_program",), minimum_age=18),
    Kind("Youth Drop-in Center", 6, ("mental_health_program", "food")),
)  # fmt: skip
HOURS = (
    ([], 10),
    ([{"days": WEEKDAYS, "opens": "09:00", "closes": "17:00"}], 35),
    ([{"days": WEEKDAYS, "opens": "08:00", "closes": "20:00"}], 12),
    ([{"days": ["tue", "thu"], "opens": "15:00", "closes": "19:00"},
      {"days": ["sat"], "opens": "09:00", "closes": "12:00"}], 15),
    ([{"days": ALL_WEEK, "opens": "00:00", "closes": "24:00"}], 10),
    ([{"days": WEEKDAYS, "opens": "06:00", "closes": "14:00"},
      {"days": ["sat"], "opens": "07:00", "closes": "11:00"}], 8),
    ([{"days": ["mon", "wed", "thu"], "opens": "17:30", "closes": "20:30"}], 10),
)  # fmt: skip
LANGUAGES = ((("en",), 55), (("en", "es"), 33), (("en", "es", "zh"), 3), (("en", "vi"), 3),
             (("en", "ht"), 2), (("en", "ru"), 2), (("es",), 2))  # fmt: skip
EXTRA_PAYMENTS = ((), 60), (("sliding_scale",), 20), (("medicaid",), 15), (("private",), 5)
AGES = (((None, None), 70), ((18, None), 15), ((12, 24), 5), ((55, None), 5), ((0, 17), 5))


def _pick(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def db_path(size: int, seed: int) -> Path:
    """Where the programs file of `size` services and `seed` lives."""
    return DATA_DIR / f"programs-{size_label(size)}-s{seed}.sqlite3"


class Builder:
    """Rows of the four program tables, drawn from one seeded generator."""

    def __init__(self, seed: int, as_of: datetime):
        from demo.places import zip_table

        self.rng, self.as_of, self.zips = random.Random(f"programs-{seed}"), as_of, zip_table()
        self.tables: dict[str, list[dict]] = {
            "program_organization": [], "program_location": [], "program_service": [],
            "program_site": [],
        }  # fmt: skip

    def _stamp(self) -> dict:
        return {"created_at": self.as_of, "updated_at": self.as_of}

    def location(self, organization_id: int, zip_=None) -> tuple[int, object]:
        """A new site near a weighted ZIP (or near `zip_`); 2% unplaced."""
        from demo.places import jitter

        rng, rows = self.rng, self.tables["program_location"]
        zip_ = self.zips.near(rng, zip_) if zip_ is not None else self.zips.pick(rng)
        lat, lon = jitter(rng, zip_)
        placed = rng.random() >= 0.02
        number = len(rows) + 1
        rows.append({
            "id": number, "external_id": f"bench:location:{number}",
            "organization_id": organization_id, "name": None,
            "line1": f"{rng.randrange(1, 9000)} Main St", "line2": None, "city": zip_.city,
            "state": zip_.state, "postal_code": zip_.code, "lat": lat if placed else None,
            "lon": lon if placed else None, "precision": "source" if placed else None,
            "source": "bench", **self._stamp(),
        })  # fmt: skip
        return number, zip_

    def service(self, organization_id: int, town: str) -> int:
        """A new service of a weighted kind, its facets drawn."""
        rng, rows = self.rng, self.tables["program_service"]
        kind = _pick(rng, [(k, k.weight) for k in KINDS])
        payments = sorted(set(kind.payments) | set(_pick(rng, EXTRA_PAYMENTS)))
        low, high = _pick(rng, AGES) if kind.minimum_age is None else (kind.minimum_age, None)
        free = "free" in payments and rng.random() < 0.5
        number = len(rows) + 1
        rows.append({
            "id": number, "external_id": f"bench:service:{number}",
            "organization_id": organization_id, "name": f"{town} {kind.name}",
            "description": None, "status": "active" if rng.random() >= 0.03 else "inactive",
            "url": None, "email": None, "phone": f"555-01{rng.randrange(100):02d}",
            "minimum_age": low, "maximum_age": high, "eligibility": None, "populations": [],
            "languages": list(_pick(rng, LANGUAGES)), "needs": list(kind.needs),
            "taxonomy_terms": [], "levels_of_care": list(kind.levels),
            "medications": sorted(rng.sample(kind.medications, rng.randint(
                min(1, len(kind.medications)), len(kind.medications)))),
            "detox": "4" in kind.levels, "residential": "3.x" in kind.levels,
            "payments": payments, "fee_min": None if free else (10.0 if rng.random() < 0.2
                                                                   else None),
            "fee_max": 0.0 if free else None, "currency": "USD", "fees_description": None,
            "source": "bench", "verified_at": self.as_of, "fingerprint": "bench",
            **self._stamp(),
        })  # fmt: skip
        return number

    def site(self, service_id: int, location_id: int) -> None:
        """The service at the location, with hours of a weighted pattern."""
        rows = self.tables["program_site"]
        rows.append({"id": len(rows) + 1, "external_id": f"bench:site:{len(rows) + 1}",
                     "service_id": service_id, "location_id": location_id,
                     "hours": _pick(self.rng, HOURS)})  # fmt: skip

    def organization(self, remaining: int) -> int:
        """An organization with one to three services at its site; a tenth get a second site."""
        rng, rows = self.rng, self.tables["program_organization"]
        number = len(rows) + 1
        rows.append({"id": number, "external_id": f"bench:org:{number}",
                     "name": f"Organization {number}", "description": None, "website": None,
                     "email": None, "source": "bench", **self._stamp()})  # fmt: skip
        home, zip_ = self.location(number)
        count = min(remaining, _pick(rng, ((1, 60), (2, 25), (3, 15))))
        for _ in range(count):
            service = self.service(number, zip_.city)
            self.site(service, home)
            if rng.random() < 0.10:
                self.site(service, self.location(number, zip_)[0])
        return count


def build(size: int, seed: int, out: Path) -> dict:
    """A new SQLite file with the models' schema (triggers included) and `size` services."""
    from app import create_app
    from benchmarks.common import sqlite_url
    from directory.extensions import db

    out.unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(out), "SECRET_KEY": "build-only"})
    as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        builder = Builder(seed, as_of)
        made = 0
        while made < size:
            made += builder.organization(size - made)
        with db.engine.begin() as connection:
            for name, rows in builder.tables.items():
                connection.execute(db.metadata.tables[name].insert(), rows)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    counts = {name: len(rows) for name, rows in builder.tables.items()}
    return {"size": size, "seed": seed, "as_of": as_of.date().isoformat(), "counts": counts,
            "seconds": round(seconds, 1), "load_avg": load_average(),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip


def programs_db(size: int, seed: int) -> tuple[Path, dict]:
    """(path, manifest): the cached programs file, built in a subprocess first when missing."""
    import subprocess

    from benchmarks.common import PYTHON, ROOT

    path = db_path(size, seed)
    manifest = path.with_suffix(MANIFEST_SUFFIX)
    if not (path.exists() and manifest.exists()):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        log(f"generating {size_label(size)} programs (seed {seed}) into {path}")
        command = [PYTHON, "-m", "benchmarks.program_data", "--size", str(size)]
        subprocess.run([*command, "--seed", str(seed), "--out", str(partial)], cwd=ROOT,
                       check=True)  # fmt: skip
        partial.with_suffix(MANIFEST_SUFFIX).rename(manifest)
        partial.rename(path)
    return path, json.loads(manifest.read_text("utf-8"))


def main() -> None:
    """CLI: build one programs file and its manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="default: the cache path for size and seed")
    args = parser.parse_args()
    out = args.out or db_path(args.size, args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    facts = build(args.size, args.seed, out)
    out.with_suffix(MANIFEST_SUFFIX).write_text(json.dumps(facts, indent=1), "utf-8")
    log(f"{args.size} services in {facts['seconds']} s: {facts['counts']}")


if __name__ == "__main__":
    main()
