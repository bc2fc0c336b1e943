"""The code's shape read from its source (AST): imports, library patches, plug-in points.

Used by tests/test_structure.py; each check here has a test there that plants a violation."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PACKAGES = ("bot", "handlers", "models", "slack_emulator")


APP_PACKAGES = ("bot", "handlers", "models")


PATCH_FORBIDDEN = ("slack_bolt", "slack_sdk")


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the scanned packages."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def outside_type_checking(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except those under ``if TYPE_CHECKING:`` (never imported at run time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The scanned modules ``name`` imports (anywhere in it, functions included)."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in outside_type_checking(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in known else base)
    return {t for t in targets if t in known and t != name}


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def root_of(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def library_names(tree: ast.AST) -> set[str]:
    """Names bound to the libraries' modules, classes, functions, and objects made from them."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PATCH_FORBIDDEN:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and not node.level
            and (node.module or "").split(".")[0] in PATCH_FORBIDDEN
        ):
            names.update(alias.asname or alias.name for alias in node.names)
    grew = True
    while grew:  # objects: variables made by the libraries, arguments typed with them
        before = len(names)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                root = root_of(node.value)
                if isinstance(root, ast.Name) and root.id in names:
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.arg) and node.annotation is not None:
                mentioned = {n.id for n in ast.walk(node.annotation) if isinstance(n, ast.Name)} | {
                    part
                    for n in ast.walk(node.annotation)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    for part in n.value.replace("|", " ").replace("[", " ").split()
                }
                if mentioned & names and node.arg not in ("self", "cls"):
                    names.add(node.arg)
        grew = len(names) > before
    return names


def library_patches(source: str, filename: str = "<source>") -> list[str]:
    """Each assignment to (or setattr/delattr of) an attribute of a slack_bolt/slack_sdk thing."""
    tree = ast.parse(source, filename)
    names = library_names(tree)
    found: list[str] = []

    def touches(target: ast.expr) -> bool:
        root = root_of(target)
        return isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in names

    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "delattr")
            and node.args
        ):
            root = root_of(node.args[0])
            if isinstance(root, ast.Name) and root.id in names:
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        for target in targets:
            for part in ast.walk(target) if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.expr) and touches(part):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


# The queries that compute a shown aggregate. Only the modules that register a surface with
# the gate (bot/core/disclosure.py SURFACES) call them, with the gate's period and limit;
# handlers and views ask those surfaces, never the queries.
RAW_QUERIES = {
    "bot.insights.teamweeks": {"team_weeks", "shareable_notes", "note_writers"},
    "bot.insights.questions": {"question_results", "closed_periods"},
    "bot.insights.experience_gap": {"experience_gap"},
    "bot.insights.rollup": {"rollup_rows", "rolled_weeks"},
}


def raw_query_imports(name: str, path: Path) -> set[str]:
    """``module.function`` of every raw aggregate query ``name`` imports (or whole modules)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in outside_type_checking(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in RAW_QUERIES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                if (
                    alias.name in RAW_QUERIES.get(base, set())
                    or f"{base}.{alias.name}" in RAW_QUERIES
                ):
                    found.add(f"{base}.{alias.name}")
    return found


def gate_breaches() -> dict[str, set[str]]:
    from bot.core.disclosure import SURFACES

    allowed = set(SURFACES.values()) | set(RAW_QUERIES) | {"bot.insights.flowon"}
    breaches = {}
    for name, path in modules().items():
        if name in allowed:
            continue
        found = raw_query_imports(name, path)
        if found:
            breaches[name] = found
    return breaches
