"""The code's shape, checked from its source: no import cycles, an app-agnostic emulator,
and no library patched at runtime."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def _outside_type_checking(tree: ast.AST) -> Iterator[ast.AST]:
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
    for node in _outside_type_checking(ast.parse(path.read_text(), str(path))):
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


def test_there_is_no_import_cycle() -> None:
    assert cycle_in(import_graph()) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = import_graph()
    graph["bot.runtime"] = graph["bot.runtime"] | {"bot.app"}  # bot.app imports bot.runtime
    found = cycle_in(graph)
    assert found is not None
    assert "bot.runtime" in found


def test_the_emulator_imports_nothing_from_the_app() -> None:
    graph = import_graph()
    leaks = {
        (name, target)
        for name, targets in graph.items()
        if name.split(".")[0] == "slack_emulator"
        for target in targets
        if target.split(".")[0] in APP_PACKAGES
    }
    assert leaks == set()


# -- no patching of slack_bolt / slack_sdk --------------------------------------------------


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _library_names(tree: ast.AST) -> set[str]:
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
                root = _root(node.value)
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
    names = _library_names(tree)
    found: list[str] = []

    def touches(target: ast.expr) -> bool:
        root = _root(target)
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
            root = _root(node.args[0])
            if isinstance(root, ast.Name) and root.id in names:
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        for target in targets:
            for part in ast.walk(target) if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.expr) and touches(part):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_slack_library_is_patched() -> None:
    found = [
        patch
        for path in modules().values()
        for patch in library_patches(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_the_patch_check_finds_the_patches_it_exists_for() -> None:
    source = """
import slack_sdk.web.client
from slack_bolt.context.ack.ack import Ack
from slack_bolt.listener import thread_runner
from slack_bolt.request import request as bolt_request
from slack_sdk import WebClient

def install(client: WebClient, other: "WebClient | None") -> None:
    Ack.__init__ = init_with_event
    Ack.__call__: object = ack_and_wake
    setattr(thread_runner, "time", _WakeOnAck)
    bolt_request.parse_body = _parse_for_bolt
    slack_sdk.web.client.WebClient.api_call = spy
    client.timeout = 1
    other.base_url = "http://elsewhere"
    made = WebClient(token="x")
    made.token, x = "y", 1
    del made.retry_handlers

class Mine:
    def __init__(self) -> None:
        self.client = WebClient()  # our own attribute: fine
"""
    found = library_patches(source)
    assert len(found) == 9, found
    assert not any("self.client" in line for line in found)


# -- one listener shape ----------------------------------------------------------------------


def test_handlers_register_module_level_functions_only() -> None:
    """`register` wires module-level handle_* functions: no closures or lambdas inside it."""
    nested: list[str] = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "register":
                nested += [
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if inner is not node
                    and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                ]
    assert nested == []


# -- one disclosure gate ----------------------------------------------------------------------

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
    for node in _outside_type_checking(ast.parse(path.read_text(), str(path))):
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


def test_only_the_gates_surfaces_import_the_raw_aggregate_queries() -> None:
    assert gate_breaches() == {}


def test_the_gate_check_finds_a_view_that_computes_its_own_aggregate(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(
        "from bot.insights.teamweeks import TeamWeek, team_weeks\n"
        "from ..insights import questions\n"
    )
    assert raw_query_imports("bot.home.views", view) == {
        "bot.insights.teamweeks.team_weeks",
        "bot.insights.questions",
    }
    assert raw_query_imports("bot.home.views", ROOT / "bot" / "home" / "views.py") == set()
