"""The import rules of ARCHITECTURE.md, on every module's imports (module- and function-level)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.import_rules import (
    Layers,
    all_imports,
    entry_points_importing_each_other,
    imports_upwards,
    module_cycles,
    package_cycles,
    project_modules,
    request_state_readers,
)

ROOT = Path(__file__).resolve().parents[1]

LAYERS = Layers(
    # Entry points translate requests in and errors out; every `*.cli` module is one too.
    entry_points=frozenset({"api", "console", "web", "fhir_api", "hsds_api", "cds_hooks"}),
    entry_modules=frozenset({"accounts.views"}),  # the sign-in pages
    pages=frozenset({"pages"}),  # words, choices and contacts web and console share
    # search is matching's Elasticsearch backend: an adapter to the domain's MatchBackend port.
    domain=frozenset(
        {
            "directory",
            "matching",
            "referrals",
            "ingest",
            "demo",
            "search",
            "screening",
            "programs",
            "corrections",
            "episodes",
            "registry",
            "adequacy",
            "cds",
            "appointments",  # call-back requests from profiles, their inbox and signal
            "smart",  # the SMART EHR launch's client side: OAuth, FHIR reads, pre-fill
            "sharing",  # the patient's shortlist: kept NPIs, its email and text
        }
    ),
    # Beside the domain, used by entry points, use cases and domain: who acts, what is audited,
    # the HTTP edge every request passes (the hostile-input screen, limits, headers), and the
    # outbox that delivers the messages use cases enqueue.
    support=frozenset({"accounts", "audit", "edge", "outbox"}),
    composition=frozenset({"app", "batch", "config", "system_of_record"}),
    # accounts builds its blueprint from its sign-in pages.
    own_mounts=frozenset({("accounts", "accounts.views")}),
    # Exceptions to the import rules, each with the reason: none today.
    allowed={},
)
# Packages that read no request state: the domain and the pages' shared words. (accounts is
# identity at the edge: it reads the request to say who is acting; audit stamps each event
# with the address the request came from; edge is the HTTP edge itself.)
REQUEST_FREE = LAYERS.domain | LAYERS.pages
# console/__init__.py and accounts/__init__.py define blueprints their view modules decorate,
# then import those modules: a cycle inside each package (their owners may tidy it).
MODULE_CYCLES_LEFT = frozenset({"console", "accounts"})


@pytest.fixture(scope="module")
def imports():
    """Every import in the project."""
    return all_imports(ROOT)


def test_every_package_has_a_place_in_the_layers():
    tops = {name.split(".")[0] for name in project_modules(ROOT)}

    assert tops - LAYERS.classified() == set()


def test_entry_points_never_import_each_other(imports):
    assert entry_points_importing_each_other(imports, LAYERS) == []


def test_nothing_below_the_entry_points_imports_them(imports):
    assert imports_upwards(imports, LAYERS) == []


def test_the_domain_never_reads_flask_request_state(imports):
    assert request_state_readers(imports, LAYERS, set(REQUEST_FREE)) == []


def test_no_package_cycles(imports):
    assert package_cycles(imports) == []


def test_no_module_cycles_inside_packages(imports):
    assert module_cycles(imports, MODULE_CYCLES_LEFT) == []


def test_every_temporary_allowance_is_still_needed(imports):
    # Once the import is gone, the allowance must go too.
    strict = replace(LAYERS, allowed={})
    found = entry_points_importing_each_other(imports, strict) + imports_upwards(imports, strict)
    for (unit, target), helper in LAYERS.allowed.items():
        assert any(f" -> {target} " in line and line.startswith(unit) for line in found), helper


# --- The checks themselves, on a small tree that breaks each rule on purpose -----------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


SMALL = Layers(
    entry_points=frozenset({"api", "web"}),
    entry_modules=frozenset(),
    pages=frozenset({"pages"}),
    domain=frozenset({"matching", "directory"}),
    support=frozenset({"audit"}),
    composition=frozenset({"app"}),
)
CLEAN = {
    "app.py": "import api\nimport web\n",
    "api/__init__.py": "",
    "api/views.py": "from matching.rank import rank\nfrom flask import request\n",
    "web/__init__.py": "from pages import words\n",
    "pages/__init__.py": "",
    "pages/words.py": "from matching import rank\n",
    "matching/__init__.py": "",
    "matching/rank.py": "from directory.models import Clinician\n\ndef rank():\n    pass\n",
    "matching/cli.py": "from matching.rank import rank\n",
    "directory/__init__.py": "",
    "directory/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
    "    from matching.rank import rank\nClinician = object\n",
    "audit/__init__.py": "from directory.models import Clinician\n",
}


def test_a_clean_tree_passes(tmp_path):
    found = all_imports(_tree(tmp_path, CLEAN))

    assert entry_points_importing_each_other(found, SMALL) == []
    assert imports_upwards(found, SMALL) == []
    assert request_state_readers(found, SMALL, {"matching", "directory", "pages"}) == []
    assert package_cycles(found) == module_cycles(found) == []


def test_an_entry_point_importing_another_fails(tmp_path):
    found = all_imports(_tree(tmp_path, {**CLEAN, "web/search.py": "from api import views\n"}))

    assert entry_points_importing_each_other(found, SMALL) == [
        "web.search -> api.views (web/search.py:1)"
    ]


def test_a_cli_importing_another_cli_fails(tmp_path):
    tree = {**CLEAN, "directory/cli.py": "def run():\n    from matching.cli import rank\n"}

    found = all_imports(_tree(tmp_path, tree))

    assert entry_points_importing_each_other(found, SMALL) == [
        "directory.cli -> matching.cli (directory/cli.py:2)"
    ]


def test_the_domain_importing_an_entry_point_pages_or_the_app_fails(tmp_path):
    tree = {
        **CLEAN,
        "matching/explain.py": "def words():\n    import web\n",
        "directory/app_config.py": "from app import create_app\n",
        "matching/words.py": "from pages.words import rank\n",
    }

    found = imports_upwards(all_imports(_tree(tmp_path, tree)), SMALL)

    assert found == [
        "directory.app_config -> app (directory/app_config.py:1)",
        "matching.explain -> web (matching/explain.py:2)",
        "matching.words -> pages.words (matching/words.py:1)",
    ]


def test_flask_request_state_in_the_domain_fails(tmp_path):
    tree = {
        **CLEAN,
        "matching/needs.py": "from flask import current_app, request\n",
        "directory/visits.py": "def who():\n    from flask.globals import session\n",
        "matching/plain.py": "from flask import current_app\n",
    }

    found = all_imports(_tree(tmp_path, tree))

    assert request_state_readers(found, SMALL, {"matching", "directory"}) == [
        "directory.visits -> flask.globals (directory/visits.py:2)",
        "matching.needs -> flask (matching/needs.py:1)",
    ]


def test_a_cycle_hidden_in_a_function_level_import_fails(tmp_path):
    tree = {**CLEAN, "directory/places.py": "def read():\n    from matching import rank\n"}

    found = all_imports(_tree(tmp_path, tree))

    assert package_cycles(found) == [["directory", "matching"]]


def test_a_module_cycle_inside_a_package_fails(tmp_path):
    tree = {
        **CLEAN,
        "matching/build.py": "from matching.places import read\n",
        "matching/places.py": "def read():\n    from matching.build import tristate\n",
    }

    found = all_imports(_tree(tmp_path, tree))

    assert module_cycles(found) == [["matching.build", "matching.places"]]
    assert module_cycles(found, frozenset({"matching"})) == []
