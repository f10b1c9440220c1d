"""`make screens`: the main pages in English and Spanish at 390 and 1366 px, into docs/screens/.

Builds a demo instance in a temporary folder (the commands `make demo` runs, on a smaller
directory), serves it on 127.0.0.1 and drives Debian's Chromium with Playwright. Every page is
captured, checked with axe-core (no serious or critical violation), and no request may leave
the origin. It also times patient searches from submit to results painted and writes the
figures, with the list of pages, to docs/screens/README.md. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from accounts.models import User
from app import create_app
from demo.users import DEMO_ORGS, DOMAIN, demo_clinician
from directory.extensions import db
from tests.browser.conftest import AXE_JS, BLOCKING_IMPACTS, CHROMIUM, CHROMIUM_ARGS, LiveServer

PASSWORD = "screens: correct horse battery staple"
WIDTHS = {390: 844, 1366: 768}  # width -> height: a phone, and the console's one-screen target
LANGS = ("en", "es")
DEMO_COMMANDS = (
    ["db", "upgrade"],
    ["demo", "load", "--clinicians", "400"],
    ["demo", "users"],
    ["demo", "registry"],
    ["demo", "referrals", "--count", "300"],
)
# Staff pages by role: (file name, path).
STAFF_PAGES = {
    "pcp": [("pcp-search", "/pcp/"), ("pcp-referrals", "/pcp/referrals")],
    "clinician": [("clinician-inbox", "/clinician/"), ("clinician-listing", "/clinician/listing")],
    "plan_staff": [
        ("staff-console", "/staff/"),
        ("staff-reports", "/staff/reports"),
        ("staff-adequacy", "/staff/adequacy"),
        ("staff-registry", "/staff/registry"),
    ],
    "admin": [("admin-home", "/admin/"), ("admin-listings", "/admin/listings")],
}


@dataclass
class Run:
    """What the run saw: files written, axe findings, off-origin requests, search timings."""

    shots: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    offsite: set[str] = field(default_factory=set)
    timings_ms: list[float] = field(default_factory=list)


def demo_app(root: Path):
    """A demo instance in `root`: migrated, seeded, demo users with a known password."""
    app = create_app(
        {
            "SECRET_KEY": "screens-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'screens.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            # The admin's authenticator step is its own page; the screens show the admin pages.
            "REQUIRE_ADMIN_MFA": False,
        }
    )
    app.instance_path = str(root / "instance")
    runner = app.test_cli_runner()
    for args in DEMO_COMMANDS:
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}")
    with app.app_context():
        for role in DEMO_ORGS:
            user = db.session.scalar(select(User).where(User.email == demo_email(role)))
            user.set_password(PASSWORD)
            user.must_change_password = False
        db.session.commit()
        _, location, _ = demo_clinician()
        app.config["SCREENS_ZIP"] = location.postal_code[:5]
        app.config["SCREENS_STATE"] = location.state
        db.session.remove()
    return app


def demo_email(role: str) -> str:
    """The address `flask demo users` gives a role."""
    return f"{role.replace('_', '-')}@{DOMAIN}"


def _guard(context, origin: str, run: Run) -> None:
    """Abort and remember every request that is not to the app itself."""

    def route(request_route):
        url = request_route.request.url
        if url.startswith(origin) or url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            run.offsite.add(url)
            request_route.abort()

    context.route("**/*", route)


def _check(page, name: str, run: Run, out: Path) -> None:
    """axe-core on the page, then a viewport screenshot."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text("utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}))
            .violations.map(v => ({id: v.id, impact: v.impact}))"""
    )
    run.blocking += [f"{name}: {v['id']}" for v in found if v["impact"] in BLOCKING_IMPACTS]
    page.screenshot(path=str(out / f"{name}.jpg"), type="jpeg", quality=60)
    run.shots.append(name)


def _search(page, server, zip_code: str) -> float:
    """One patient search from the form; milliseconds from submit to results painted."""
    page.goto(server.url("/find"))
    page.locator("#postal_code").fill(zip_code)
    started = time.perf_counter()
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_selector(".result")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    return (time.perf_counter() - started) * 1000


def _public(page, server, suffix: str, run: Run, out: Path) -> None:
    zip_code = server.app.config["SCREENS_ZIP"]
    page.goto(server.url("/find"))
    _check(page, f"find-{suffix}", run, out)
    _search(page, server, zip_code)
    _check(page, f"results-{suffix}", run, out)
    page.locator(".result a[href^='/clinicians/']").first.click()
    page.wait_for_load_state()
    _check(page, f"profile-{suffix}", run, out)
    for name, path in (("programs", "/programs"), ("social-needs", "/social-needs")):
        page.goto(server.url(path))
        _check(page, f"{name}-{suffix}", run, out)


def _staff(page, server, suffix: str, run: Run, out: Path) -> None:
    for role, pages in STAFF_PAGES.items():
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "lang", "value": suffix[:2], "url": server.url()}])
        page.goto(server.url("/login"))
        page.locator("#email").fill(demo_email(role))
        page.locator("#password").fill(PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/account$"))
        for name, path in pages:
            page.goto(server.url(path))
            if name == "staff-adequacy":  # the report itself, for the demo directory's state
                page.select_option("select[name=state]", server.app.config["SCREENS_STATE"])
                page.locator("form.registry-filters button[type=submit]").click()
                page.wait_for_load_state()
            _check(page, f"{name}-{suffix}", run, out)


def capture(server, out: Path, searches: int) -> Run:
    """Every page in both languages at both widths, then the timed searches."""
    from playwright.sync_api import sync_playwright

    run = Run()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for lang in LANGS:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.set_default_timeout(30_000)
                _guard(context, server.url("/")[:-1], run)
                context.add_cookies([{"name": "lang", "value": lang, "url": server.url()}])
                page = context.new_page()
                suffix = f"{lang}-{width}"
                _public(page, server, suffix, run, out)
                _staff(page, server, suffix, run, out)
                context.close()
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        zip_code = server.app.config["SCREENS_ZIP"]
        run.timings_ms = [_search(page, server, zip_code) for _ in range(searches)]
        context.close()
        browser.close()
    return run


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 -> p95)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def write_index(out: Path, run: Run) -> None:
    """docs/screens/README.md: when, which commit, the timings and every file."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    times = run.timings_ms
    lines = [
        "# Screens",
        "",
        f"Regenerated by `make screens` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"`{commit}`: the demo directory (400 clinicians, 300 referrals), headless Chromium, "
        "viewport screenshots at 390×844 and 1366×768 in English and Spanish. Each page passed "
        "axe-core (WCAG 2.0/2.1/2.2 A and AA rules) with no serious or critical violation, and no "
        "request left the origin.",
        "",
        f"Patient search, submit → results painted, {len(times)} searches at 1366 px: "
        f"median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
        f"max {max(times):.0f} ms (the machine in BENCHMARKS.md, the dev server, SQLite).",
        "",
        "| page | en 390 | en 1366 | es 390 | es 1366 |",
        "|---|---|---|---|---|",
    ]
    for name in dict.fromkeys(shot.rsplit("-", 2)[0] for shot in run.shots):
        cells = [f"[jpg]({name}-{lang}-{w}.jpg)" for lang in LANGS for w in WIDTHS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    (out / "README.md").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build, serve, capture; print what failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    parser.add_argument("--searches", type=int, default=20)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(demo_app(Path(tmp)))
        server.start()
        try:
            run = capture(server, args.out, args.searches)
        finally:
            server.stop()
    write_index(args.out, run)
    print(f"{len(run.shots)} screens in {args.out}")
    for problem in run.blocking + sorted(f"left the origin: {u}" for u in run.offsite):
        print(problem, file=sys.stderr)
    return 1 if run.blocking or run.offsite else 0


if __name__ == "__main__":
    raise SystemExit(main())
