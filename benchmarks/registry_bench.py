"""Registry page and API latency on PostgreSQL: `python -m benchmarks.registry_bench --episodes N`.

A database of its own per size (BENCH_PG_URL's server), filled by benchmarks.registry_data;
then the PCP registry page, the plan registry page and GET /api/v1/registry through Flask's
test client, a mix of filters, sorts and pages. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import time

import psycopg

from benchmarks.common import BENCH_RATE_LIMIT, DATA_DIR, latency_summary, size_label
from benchmarks.peer_postgis import ADMIN_URL, database_url

PASSWORD = "Quiet lantern over seven harbors"
WARMUP = 5
QUERIES = (
    "",
    "?flag=no_response",
    "?flag=overdue&sort=last_screened",
    "?flag=not_engaged&sort=-weeks",
    "?instrument=gad7&sort=change",
    "?flag=remission&offset=100",
    "?sort=-score&offset=2000",
)


def fresh_database(name: str) -> str:
    """Drop and create the benchmark database; its SQLAlchemy URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return database_url(name).replace("postgresql://", "postgresql+psycopg://", 1)


def vacuum(name: str) -> None:
    """VACUUM ANALYZE after the bulk load (autovacuum's work in production): statistics, and
    the visibility map index-only scans need."""
    with psycopg.connect(database_url(name), autocommit=True) as con:
        con.execute("VACUUM ANALYZE")


def make_app(url: str):
    """The production app factory on the benchmark database, its schema created."""
    from app import create_app
    from directory.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "registry-bench",
            # Configured, so the benchmark writes no audit key into the checkout's instance folder.
            "AUDIT_KEY": "0123456789abcdef" * 4,
            "AUDIT_CHECKPOINT_FILE": str(DATA_DIR / "registry-audit-checkpoints.log"),
            "PARTNER_RATE_LIMIT": BENCH_RATE_LIMIT,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def signed_in(app, email: str, role: str, org, plans=()):
    """A test client signed in through the real form (CSRF off for the benchmark client)."""
    from accounts.users import create_user
    from directory.extensions import db

    create_user(email, role, org, PASSWORD, None, plans)
    db.session.commit()
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def timed(client, urls: list[str], rounds: int, headers=None) -> dict:
    """Latency of each url `rounds` times after a warm-up; errors counted."""
    samples, cpu, errors = [], [], 0
    for url in urls[:WARMUP]:
        client.get(url, headers=headers)
    for _ in range(rounds):
        for url in urls:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            # CPU time is what the code costs; wall time adds waiting on a busy machine.
            cpu.append((time.process_time() - cpu_started) * 1000)
            errors += response.status_code != 200
    return {"summary": latency_summary(samples), "cpu": latency_summary(cpu), "errors": errors}


def measure(episodes: int, seed: int, rounds: int) -> dict:
    """Fill a fresh database with `episodes` and time the three registry readers."""
    from accounts.keys import issue_api_key
    from benchmarks.registry_data import populate
    from directory.extensions import db
    from referrals.use_cases import local_today

    app = make_app(fresh_database(f"bench_registry_{size_label(episodes).lower()}"))
    with app.app_context():
        started = time.perf_counter()
        made = populate(episodes, seed, local_today())
        built = round(time.perf_counter() - started, 1)
        vacuum(db.engine.url.database)
        _row, key = issue_api_key(made["practice"], ["registry:read"])
        db.session.commit()
        pcp = signed_in(app, "pcp@bench.example", "pcp", made["practice"])
        staff = signed_in(
            app, "staff@bench.example", "plan_staff", made["plan_org"], [made["plan_id"]]
        )
        return {
            "episodes": episodes,
            "build_seconds": built,
            "pcp_page": timed(pcp, [f"/pcp/registry{q}" for q in QUERIES], rounds),
            "plan_page": timed(staff, [f"/staff/registry{q}" for q in QUERIES], rounds),
            "api": timed(
                app.test_client(),
                [f"/api/v1/registry{q}" for q in QUERIES],
                rounds,
                headers={"Authorization": f"Bearer {key}"},
            ),
        }


def main() -> None:
    """Command line: one size per process, so one size never warms the caches of the next."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(json.dumps(measure(args.episodes, args.seed, args.rounds)))


if __name__ == "__main__":
    main()
