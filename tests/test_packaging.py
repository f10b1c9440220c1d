"""A wheel ships every package, the modules beside them, and their data (pyproject.toml)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from setuptools import find_namespace_packages, find_packages

ROOT = Path(__file__).resolve().parents[1]
# Top-level packages that are not the app: the test suite and the benchmark harness.
NOT_SHIPPED = {"tests", "benchmarks"}
# Read by gunicorn from the working directory, never imported.
NOT_MODULES = {"gunicorn.conf.py"}


def settings(root: Path) -> dict:
    """[tool.setuptools] of root/pyproject.toml."""
    return tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def shipped_packages(root: Path) -> set[str]:
    """The packages setuptools finds with the project's packages.find settings."""
    find = settings(root)["packages"]["find"]
    finder = find_namespace_packages if find.get("namespaces", True) else find_packages
    return set(finder(str(root), include=find["include"], exclude=find.get("exclude", ())))


def missing_packages(root: Path) -> set[str]:
    """Top-level directories with an __init__.py that a wheel would leave out."""
    found = {path.parent.name for path in root.glob("*/__init__.py")}
    return found - NOT_SHIPPED - shipped_packages(root)


def missing_modules(root: Path) -> set[str]:
    """Top-level modules (app.py, config.py...) not named in py-modules."""
    modules = set(settings(root).get("py-modules", ()))
    return {p.stem for p in root.glob("*.py") if p.name not in NOT_MODULES} - modules


def missing_data(root: Path) -> set[str]:
    """Files inside shipped packages, not Python, that no package-data pattern ships."""
    packages = shipped_packages(root)
    patterns = settings(root).get("package-data", {})
    left_out = set()
    for top in {p.split(".")[0] for p in packages}:
        for path in (root / top).rglob("*"):
            relative = path.relative_to(root)
            if path.is_dir() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
                continue
            package = ".".join(relative.parent.parts)
            wanted = [*patterns.get("*", ()), *patterns.get(package, ())]
            if package not in packages or not any(fnmatch(path.name, p) for p in wanted):
                left_out.add(relative.as_posix())
    return left_out


def test_every_package_is_shipped():
    assert missing_packages(ROOT) == set()
    assert {"console", "demo", "pages"} <= shipped_packages(ROOT)


def test_the_modules_beside_the_packages_are_shipped():
    assert missing_modules(ROOT) == set()


def test_templates_static_files_translations_and_data_are_shipped():
    assert missing_data(ROOT) == set()
    packages = shipped_packages(ROOT)
    for folder in ("templates.console.admin", "static.vendor.leaflet.images", "directory.data"):
        assert folder in packages
    assert "web.translations.es.LC_MESSAGES" in packages
    assert "ingest.samples" in packages


def _project(root: Path, include: list[str], data: list[str]) -> Path:
    """A small project: two packages, a data folder, a template, a pyproject naming `include`."""
    root.mkdir()
    for folder in ("alpha", "beta"):
        (root / folder).mkdir()
        (root / folder / "__init__.py").write_text("")
    (root / "alpha" / "data").mkdir()
    (root / "alpha" / "data" / "codes.csv").write_text("code\n")
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text("<p></p>")
    (root / "app.py").write_text("")
    listed = ", ".join(f'"{name}"' for name in include)
    patterns = ", ".join(f'"{name}"' for name in data)
    (root / "pyproject.toml").write_text(
        '[tool.setuptools]\npy-modules = ["app"]\n'
        f"[tool.setuptools.packages.find]\ninclude = [{listed}]\n"
        f'[tool.setuptools.package-data]\n"*" = [{patterns}]\n'
    )
    return root


def test_the_checks_find_what_a_project_leaves_out(tmp_path):
    complete = _project(
        tmp_path / "complete", ["alpha*", "beta*", "templates*"], ["*.csv", "*.html"]
    )
    partial = _project(tmp_path / "partial", ["alpha"], ["*.html"])
    (partial / "worker.py").write_text("")

    assert (missing_packages(complete), missing_data(complete)) == (set(), set())
    assert missing_packages(partial) == {"beta"}
    assert missing_modules(partial) == {"worker"}
    # alpha.data is not matched by "alpha", and *.csv is no pattern there.
    assert missing_data(partial) == {"alpha/data/codes.csv"}
    assert "templates" in shipped_packages(complete)
    assert "templates" not in shipped_packages(partial)
