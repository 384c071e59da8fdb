"""The layout rules of DESIGN.md, checked on the source: imports point one way only.

microcomm <- rounds <- applications <- panels <- evaluation; selectors never import
services; no module imports another inside a function body (except where Django or a
heavy optional library needs it: AppConfig.ready(), management commands, settings and the
lazy WeasyPrint import); and no import cycle between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["microcomm", "rounds", "applications", "panels", "evaluation"]
# Imports allowed inside a function body: these names may be imported lazily.
LAZY_ALLOWED_MODULES = {"weasyprint"}


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, int, str]]:
    """(imported module, line, enclosing function or "") for every runtime import."""
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only: no runtime import
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, child)
                for alias in child.names:
                    candidate = f"{target}.{alias.name}"
                    imported = candidate if candidate in MODULES else target
                    found.append((imported, child.lineno, function))
            inner = function
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = function or child.name
            visit(child, inner)

    visit(tree, "")
    return found


def _lazy_import_allowed(module: str, imported: str, function: str) -> bool:
    if ".management.commands." in f".{module}." or module.startswith("microcomm.settings"):
        return True
    if imported.split(".")[0] in LAZY_ALLOWED_MODULES:
        return True
    return module.endswith(".apps") and function == "ready"


def test_no_import_inside_a_function_body() -> None:
    offenders = [
        f"{module}:{line} imports {imported} inside {function}()"
        for module in MODULES
        for imported, line, function in _imports(module)
        if function and not _lazy_import_allowed(module, imported, function)
    ]
    assert offenders == [], "\n".join(offenders)


def test_apps_import_only_the_apps_before_them() -> None:
    offenders = []
    for module in MODULES:
        own = APPS.index(module.split(".")[0])
        for imported, line, _ in _imports(module):
            app = imported.split(".")[0]
            if app in APPS and APPS.index(app) > own:
                offenders.append(f"{module}:{line} imports the later app {imported}")
    assert offenders == [], "\n".join(offenders)


def test_selectors_never_import_services() -> None:
    offenders = []
    for module in MODULES:
        if ".selectors" not in f".{module}" and not module.endswith("selectors"):
            continue
        for imported, line, _ in _imports(module):
            if ".services" in f".{imported}." or imported.endswith("services"):
                offenders.append(f"{module}:{line} imports {imported}")
    assert offenders == [], "\n".join(offenders)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        for imported, _, _ in _imports(module):
            # An import of a package's submodule also runs the package's __init__.
            target = imported
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != module:
                graph[module].add(target)
    return graph


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    # A package and its own submodules importing each other through __init__ is how
    # Python packages re-export; anything wider is a cycle.
    real = [c for c in cycles if len({m.rsplit(".", 1)[0] for m in c} | {c[0]}) > 1]
    assert real == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in real)
