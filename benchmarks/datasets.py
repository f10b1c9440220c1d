"""Benchmark directories: the demo generator's output in SQLite files, cached by size and seed.

`python -m benchmarks.datasets --size 100k --seed 1` builds one; directory_db() reuses a cached
file or builds it in a subprocess (so the generator's memory never counts against a benchmark).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import DATA_DIR, PYTHON, ROOT, load_average, log, parse_size, size_label

MANIFEST_SUFFIX = ".json"


def db_path(size: int, seed: int) -> Path:
    """Where the directory of `size` clinicians and `seed` lives."""
    return DATA_DIR / f"demo-{size_label(size)}-s{seed}.sqlite3"


def manifest(path: Path) -> dict:
    """What the build recorded: size, seed, as-of day, build time and rate, API key."""
    return json.loads(path.with_suffix(MANIFEST_SUFFIX).read_text("utf-8"))


def directory_db(size: int, seed: int) -> tuple[Path, bool]:
    """(path, built_now): the cached directory, built first when missing."""
    path = db_path(size, seed)
    if path.exists() and path.with_suffix(MANIFEST_SUFFIX).exists():
        return path, False
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    log(f"generating the {size_label(size)} demo directory (seed {seed}) into {path}")
    command = [PYTHON, "-m", "benchmarks.datasets", "--size", str(size), "--seed", str(seed)]
    subprocess.run([*command, "--out", str(partial)], cwd=ROOT, check=True)
    # Renamed only once complete: an interrupted build is never mistaken for a cached one.
    partial.with_suffix(MANIFEST_SUFFIX).rename(path.with_suffix(MANIFEST_SUFFIX))
    partial.rename(path)
    return path, True


def build(size: int, seed: int, out: Path) -> dict:
    """Create the schema in a new SQLite file and fill it with the demo generator."""
    from app import create_app
    from benchmarks.common import sqlite_url
    from demo.generator import generate
    from directory.extensions import db

    out.unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(out), "SECRET_KEY": "build-only"})
    with app.app_context():
        # The models' schema (the same the migrations must build; see tests/test_migrations.py).
        db.create_all()
        as_of = datetime.now(UTC).date()
        started = time.perf_counter()
        summary = generate(size, seed, as_of)
        seconds = time.perf_counter() - started
        key = _api_key()
        locations = db.session.execute(db.text("SELECT count(*) FROM location")).scalar()
        links = db.session.execute(db.text("SELECT count(*) FROM clinician_location")).scalar()
        db.engine.dispose()
    return {
        "size": size,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "clinicians": summary.clinicians,
        "locations": locations,
        "clinician_locations": links,
        "organizations": summary.organizations,
        "seconds": round(seconds, 1),
        "rate": round(summary.clinicians / seconds, 1),
        "load_avg": load_average(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "api_key": key,
    }


def empty_schema(out: Path) -> None:
    """A new SQLite file with the models' schema and no rows (for the ingest benchmarks)."""
    from app import create_app
    from benchmarks.common import sqlite_url
    from directory.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(out), "SECRET_KEY": "build-only"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def _api_key() -> str:
    """A real API key for a demo organization: clients send one, as partners do."""
    from sqlalchemy import select

    from accounts.keys import issue_api_key
    from directory.extensions import db
    from directory.models import Organization

    organization = db.session.scalar(select(Organization).order_by(Organization.id).limit(1))
    _, key = issue_api_key(organization, "directory:read")
    db.session.commit()
    return key


def main() -> None:
    """CLI: build one directory file and its manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="default: the cache path for size and seed")
    parser.add_argument("--schema-only", action="store_true", help="an empty directory")
    args = parser.parse_args()
    if args.schema_only:
        empty_schema(args.out)
        return
    out = args.out or db_path(args.size, args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    facts = build(args.size, args.seed, out)
    out.with_suffix(MANIFEST_SUFFIX).write_text(json.dumps(facts, indent=1), "utf-8")
    log(f"{facts['clinicians']} clinicians in {facts['seconds']} s ({facts['rate']}/s)")


if __name__ == "__main__":
    main()
