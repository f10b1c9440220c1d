"""Read every module's imports with ast and check them against the layers (ARCHITECTURE.md).

Imports at module level and inside functions both count; imports under `if TYPE_CHECKING:` do
not (they never run). tests/test_architecture.py applies the checks to the project and to small
synthetic trees that break each rule on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REQUEST_STATE = frozenset({"request", "session", "g"})
NOT_PROJECT = frozenset({"tests", "benchmarks"})  # the suite and the benchmark harness
NOT_MODULES = frozenset({"gunicorn.conf.py"})  # gunicorn's settings, read as a file


@dataclass(frozen=True)
class Import:
    """`importer` imports project module `target` (line `line` of `path`)."""

    importer: str
    target: str
    path: str
    line: int
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.importer} -> {self.target} ({self.path}:{self.line})"


@dataclass(frozen=True)
class Layers:
    """Which package is what; see ARCHITECTURE.md for the picture."""

    entry_points: frozenset[str]  # packages that are entry points as a whole
    entry_modules: frozenset[str]  # entry points inside other packages (cli: every `*.cli`)
    pages: frozenset[str]  # what the page entry points share
    domain: frozenset[str]
    support: frozenset[str]  # beside the domain: identity, the audit trail
    composition: frozenset[str]  # the app factory and its settings; nothing imports them
    request_readers: frozenset[str] = frozenset()  # modules allowed flask request state
    own_mounts: frozenset[tuple[str, str]] = frozenset()  # (module, its package's entry point)
    allowed: dict[tuple[str, str], str] = field(default_factory=dict)  # (unit, target): why

    def classified(self) -> frozenset[str]:
        """Every top-level name the layers place."""
        groups = (self.entry_points, self.pages, self.domain, self.support, self.composition)
        return frozenset().union(*groups)

    def unit(self, module: str) -> str | None:
        """The entry point `module` belongs to (a package, or a module like demo.cli), else None."""
        top = module.split(".")[0]
        if top in self.entry_points:
            return top
        if module.split(".")[-1] == "cli" or module in self.entry_modules:
            return module
        return None


def project_modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every package with an __init__.py and top-level module."""
    found: dict[str, Path] = {}
    for init in root.glob("*/__init__.py"):
        if init.parent.name in NOT_PROJECT:
            continue
        for path in init.parent.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in root.glob("*.py"):
        if path.name not in NOT_MODULES:
            found[path.stem] = path
    return found


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    name = getattr(test, "id", None) or getattr(test, "attr", None)
    return isinstance(node, ast.If) and name == "TYPE_CHECKING"


def _statements(tree: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, outside `if TYPE_CHECKING:` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        children = list(ast.iter_child_nodes(node))
        if _type_checking(node):
            children = node.orelse
        stack.extend(children)


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module `name` is, or is inside of (a.b.C -> a.b); None outside the project."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _base(importer: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(importer: str, path: Path, modules: dict[str, Path], root: Path) -> list[Import]:
    """The project modules `importer` imports: `from a import b` names module a.b when it is one."""
    found = []
    where = path.relative_to(root).as_posix()
    for node in _statements(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [(alias.name, ()) for alias in node.names]
        else:
            base = _base(importer, path, node)
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
            plain = tuple(n for n in names if f"{base}.{n}" not in modules)
            targets = [(sub, ()) for sub in submodules] + ([(base, plain)] if plain else [])
        for name, imported in targets:
            target = _resolve(name, modules)
            if target is None and name in {"flask", "flask.globals"}:
                target = name  # kept for the request-state rule
            if target is not None and target != importer:
                found.append(Import(importer, target, where, node.lineno, imported))
    return found


def all_imports(root: Path) -> list[Import]:
    """Every import of a project module (and of flask, for its request state) in the project."""
    modules = project_modules(root)
    return [i for name in sorted(modules) for i in imports_of(name, modules[name], modules, root)]


def top(module: str) -> str:
    """The top-level package (or module) of `module`."""
    return module.split(".")[0]


def _allowed(layers: Layers, importer: str, target: str) -> bool:
    unit = layers.unit(importer) or importer
    return any((unit == a or unit.startswith(a + ".")) and target == b for a, b in layers.allowed)


def entry_points_importing_each_other(imports: list[Import], layers: Layers) -> list[str]:
    """Imports from one entry point into another (api, console, web, fhir_api, every cli)."""
    return [
        str(i)
        for i in imports
        if layers.unit(i.importer)
        and layers.unit(i.target)
        and layers.unit(i.importer) != layers.unit(i.target)
        and not _allowed(layers, i.importer, i.target)
    ]


def imports_upwards(imports: list[Import], layers: Layers) -> list[str]:
    """Domain, support and pages modules importing an entry point or the app factory; the
    domain and support importing pages."""
    below = layers.domain | layers.support | layers.pages
    found = []
    for i in imports:
        home, goal = top(i.importer), top(i.target)
        if home not in below or layers.unit(i.importer) or _allowed(layers, i.importer, i.target):
            continue
        entry = layers.unit(i.target) and (i.importer, i.target) not in layers.own_mounts
        pages = goal in layers.pages and home not in layers.pages
        if entry or goal in layers.composition or pages:
            found.append(str(i))
    return found


def request_state_readers(imports: list[Import], layers: Layers, packages: set[str]) -> list[str]:
    """Modules of `packages` (outside their cli) that import flask's request, session or g."""
    return [
        str(i)
        for i in imports
        if top(i.importer) in packages
        and not layers.unit(i.importer)
        and i.importer not in layers.request_readers
        and i.target in {"flask", "flask.globals"}
        and REQUEST_STATE & set(i.names)
    ]


def _reached(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in graph.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups of nodes that all reach one another (strongly connected, more than one), sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    reach = {node: _reached(graph, node) for node in graph}
    groups = {
        frozenset({node} | {other for other in reach[node] if node in reach.get(other, ())})
        for node in graph
        if node in reach[node]
    }
    return sorted(sorted(group) for group in groups if len(group) > 1)


def package_cycles(imports: list[Import]) -> list[list[str]]:
    """Cycles among top-level packages."""
    return cycles(
        (top(i.importer), top(i.target))
        for i in imports
        if top(i.importer) != top(i.target) and i.target not in {"flask", "flask.globals"}
    )


def module_cycles(imports: list[Import], skip: frozenset[str] = frozenset()) -> list[list[str]]:
    """Cycles among the modules of one package (packages in `skip` left out)."""
    return cycles(
        (i.importer, i.target)
        for i in imports
        if top(i.importer) == top(i.target) and top(i.importer) not in skip
    )
