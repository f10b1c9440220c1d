"""Analytics dashboards on PostgreSQL: `python -m benchmarks.analytics_bench --referrals N`.

A database of its own per size (BENCH_PG_URL's server), filled by benchmarks.analytics_data
(kept between runs: `--reuse`), then the dashboard requests of a whole year through Flask's
test client: the referral funnel grouped each way and the directory report, as an
administrator and as plan staff. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from benchmarks.common import size_label
from benchmarks.peer_postgis import database_url
from benchmarks.registry_bench import fresh_database, make_app, signed_in, timed, vacuum

PERIOD = "from=2025-01-01&to=2025-12-31"
GROUPS = ("plan", "language", "county_type", "age_band", "race_ethnicity", "kind", "urgency")


def _urls(groups: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The administrator's dashboard requests (funnel per group, directory), and plan staff's."""
    funnel = [f"/api/v1/analytics/referrals?{PERIOD}&group_by={group}" for group in groups]
    return [*funnel, f"/api/v1/analytics/directory?{PERIOD}"], funnel[:3]


def _wall_and_cpu(found: dict) -> dict:
    """One url's wall-clock summary, with the app process's CPU beside it."""
    return {**found["summary"], "cpu": found["cpu"]}


def _database(referrals: int, seed: int, reuse: bool, name: str | None = None):
    """The app on the size's database, filled unless reused; build seconds (None if reused)."""
    name = name or f"bench_analytics_{size_label(referrals).lower()}"
    if reuse:
        url = database_url(name).replace("postgresql://", "postgresql+psycopg://", 1)
        return make_app(url), None, None
    from benchmarks.analytics_data import populate
    from directory.extensions import db
    from referrals.use_cases import zone

    app = make_app(fresh_database(name))
    with app.app_context():
        started = time.perf_counter()
        counts = populate(referrals, seed, zone())
        built = round(time.perf_counter() - started, 1)
        vacuum(name)
        db.session.remove()
    return app, built, counts


def measure(referrals: int, seed: int, rounds: int, reuse: bool, groups=GROUPS, **options) -> dict:
    """Fill (or reuse) the database and time the dashboard requests.

    `options`: database (its name), rollup (False: the funnel reads every summary row).
    """
    admin_urls, staff_urls = _urls(groups)
    from directory.extensions import db
    from directory.models import Organization

    app, built, counts = _database(referrals, seed, reuse, options.get("database"))
    app.config["FUNNEL_ROLLUP"] = options.get("rollup", True)
    with app.app_context():
        org = db.session.query(Organization).filter_by(name="Bench Referrer 00").one()
        tag = str(int(time.time()))  # fresh users on a reused database
        admin = signed_in(app, f"admin{tag}@bench.example", "admin", org)
        plan_org = db.session.query(Organization).filter_by(name="Bench Health Plan").one()
        staff = signed_in(
            app, f"staff{tag}@bench.example", "plan_staff", plan_org, ["BenchGold", "BenchSilver"]
        )
        return {
            "referrals": referrals,
            "funnel_rollup": app.config["FUNNEL_ROLLUP"],
            "build_seconds": built,
            "rows": counts,
            "load_avg": os.getloadavg(),
            "admin": timed(admin, admin_urls, rounds),
            "admin_funnel": timed(admin, admin_urls[:-1], rounds),  # the 7 funnel requests
            "per_url": {url: _wall_and_cpu(timed(admin, [url], rounds)) for url in admin_urls},
            "plan_staff": timed(staff, staff_urls, rounds),
        }


def main() -> None:
    """Command line: one size per process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the database already built")
    parser.add_argument("--groups", default=",".join(GROUPS), help="funnel group_by values")
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_ANALYTICS_DB"),
        help="database name (default bench_analytics_<size>; env BENCH_ANALYTICS_DB)",
    )
    parser.add_argument("--no-rollup", action="store_true", help="funnel from summary rows only")
    args = parser.parse_args()
    groups = tuple(g for g in args.groups.split(",") if g)
    options = {"database": args.database, "rollup": not args.no_rollup}
    measured = measure(args.referrals, args.seed, args.rounds, args.reuse, groups, **options)
    print(json.dumps(measured))


if __name__ == "__main__":
    main()
