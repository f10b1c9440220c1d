"""Browser fixtures: a live server, headless Chromium pages, axe-core and screenshots.

Reusable by every page's end-to-end tests:
- live_server: the app served by werkzeug on 127.0.0.1 (ephemeral port) in a thread, with its
  own temporary SQLite database seeded by tests/web/seed_directory.py; `.url(path)`, `.app`.
- browser: one headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) per session.
- page: a fresh browser context and page per test (own cookies), 1280x900 unless a test resizes.
- axe_check(page, name): runs the vendored axe-core; fails on serious or critical violations.
- screenshot(page, name): saves artifacts/screenshots/<name>.png and returns the path.
Every test here is marked `browser` and skipped, with the reason, when Chromium is missing.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from directory.extensions import db
from tests.web.seed_directory import seed_directory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")
# A phone and a laptop: every page is checked at both widths.
VIEWPORTS = {"390px": {"width": 390, "height": 844}, "1366px": {"width": 1366, "height": 768}}


def pytest_collection_modifyitems(config, items):
    """Mark every test here `browser`; skip them without Chromium or on PostgreSQL."""
    here = Path(__file__).parent
    skip = _skip_reason()
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(pytest.mark.skip(reason=skip))


def _skip_reason() -> str | None:
    """Why this run leaves the browser tests out, if it does."""
    if not CHROMIUM.exists():
        return f"headless Chromium not installed at {CHROMIUM}"
    # The live server always serves its own seeded SQLite database, so a run with
    # TEST_DATABASE_URL would repeat the SQLite run's browser tests exactly (CI runs both).
    if os.environ.get("TEST_DATABASE_URL"):
        return "the live server uses its own SQLite database: covered by the SQLite run"
    return None


class LiveServer:
    """The app behind a real HTTP server in a background thread."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        """Absolute URL for `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        """Serve in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The seeded app served on 127.0.0.1 for the whole session (own SQLite file)."""
    root = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "SEARCH_BACKEND": "embedded",
        }
    )
    app.instance_path = str(root / "instance")
    with app.app_context():
        db.create_all()
        seed_directory()
        db.session.remove()
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


def _real_clock_env() -> dict:
    """This environment without libfaketime: the browser keeps the real clock."""
    # Under `make test-later` Chromium on libfaketime never fired a page's load event (its
    # sleeps are refused there); the dates under test are the server's, which stays faked.
    return {
        k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
    }


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=_real_clock_env()
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A new page in its own context (no cookies shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the pages' CSP refuses inline <script> tags.
        page.evaluate(AXE_JS.read_text("utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                               "best-practice"]}
            });
            return {passes: r.passes.length,
                    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                              nodes: v.nodes.map(n => n.target.join(" "))}))};
        }"""
    )
    # A run that checked nothing would pass vacuously.
    assert result["passes"] > 0, "axe-core checked no rules"
    return result["violations"]


@pytest.fixture
def axe_check():
    """axe_check(page, name) -> all violations; fails on any serious or critical one."""

    def check(page, name: str) -> list[dict]:
        violations = _violations(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        report = SCREENSHOTS.parent / "axe"
        report.mkdir(exist_ok=True)
        (report / f"{name}.json").write_text(json.dumps(violations, indent=2), "utf-8")
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{name}: axe found {json.dumps(blocking, indent=2)}"
        return violations

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> Path of artifacts/screenshots/<name>.png (full page)."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def tab(browser, live_server):
    """tab(size) -> a page in a fresh English context (other languages are chosen with the
    page's own switcher); on teardown, no request left the origin."""
    contexts, seen = [], []

    def open_tab(size: str):
        context = browser.new_context(viewport=VIEWPORTS[size], locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: seen.append(request.url))
        return page

    yield open_tab
    for context in contexts:
        context.close()
    origin = live_server.url("/")
    strays = [url for url in seen if not url.startswith((origin, "data:", "blob:"))]
    assert seen and not strays, f"requests left the origin: {strays}"
