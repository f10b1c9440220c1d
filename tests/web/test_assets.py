"""Front-end assets: everything is served from /static, nothing from a CDN at run time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
STATIC_TEXT = sorted(
    p for p in (ROOT / "static").rglob("*") if p.suffix in {".css", ".js", ".html"}
)
CDN_HOSTS = re.compile(
    r"unpkg\.com|jsdelivr|cdnjs|googleapis|gstatic|bootstrapcdn|fontawesome|code\.jquery|"
    r"//cdn\.|cloudflare|maxcdn|stackpath|tile\.openstreetmap",
    re.IGNORECASE,
)
# Attributes through which a page loads (not merely links to) another resource.
LOADS = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?(?:src|href)=\"([^\"]+)\""
)


@pytest.mark.parametrize("path", TEMPLATES + STATIC_TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cdn_references(path):
    assert not CDN_HOSTS.search(path.read_text("utf-8", errors="replace"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_load_only_local_resources(path):
    for target in LOADS.findall(path.read_text("utf-8")):
        assert not re.match(r"(?:[a-z]+:)?//", target, re.IGNORECASE), f"{path.name}: {target}"
        assert target.startswith(("{{", "/", "data:")), f"{path.name}: {target}"


def test_every_static_file_a_template_names_exists():
    named = set()
    for path in TEMPLATES:
        named |= set(re.findall(r"url_for\('static', filename='([^']+)'\)", path.read_text()))
    assert "vendor/leaflet/leaflet.js" in named
    missing = sorted(n for n in named if not (ROOT / "static" / n).is_file())
    assert not missing


def test_vendored_files_document_their_source():
    sources = (ROOT / "static" / "vendor" / "SOURCES.md").read_text()
    assert "leaflet | 1.9.4" in sources
    assert (ROOT / "static" / "vendor" / "leaflet" / "LICENSE").is_file()
    assert (ROOT / "tests" / "browser" / "vendor" / "axe-core-LICENSE").is_file()


def test_map_without_tiles_configured_loads_nothing_remote(search):
    page = search(concerns=["depression"]).get_data(as_text=True)
    assert 'data-tile-url=""' in page
    assert "/static/vendor/leaflet/leaflet.js" in page


def test_map_tiles_come_from_config(app, search):
    app.config["MAP_TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    app.config["MAP_TILE_ATTRIBUTION"] = "© Example tiles"
    page = search(concerns=["depression"]).get_data(as_text=True)
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-attribution="© Example tiles"' in page


def test_the_basemap_ships_with_the_app(search):
    page = search(concerns=["depression"]).get_data(as_text=True)
    assert 'data-states="/static/vendor/us-atlas/states-10m.json"' in page
    assert 'data-counties="/static/vendor/us-atlas/counties-10m.json"' in page
    assert "/static/vendor/topojson-client/topojson-client.min.js" in page
    sources = (ROOT / "static" / "vendor" / "SOURCES.md").read_text()
    assert "us-atlas | 3.0.1" in sources and "topojson-client | 3.1.0" in sources
    for name in ("us-atlas/LICENSE", "topojson-client/LICENSE", "us-atlas/states-10m.json"):
        assert (ROOT / "static" / "vendor" / name).is_file()
