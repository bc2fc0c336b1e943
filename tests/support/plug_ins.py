"""How features plug in, read from the source (AST): Bolt listeners and middleware, and the
``Parts`` additions, only in a feature's ``register`` (bot/core/features.py); no registry
filled at import time. tests/test_structure.py runs these over bot/ and handlers/."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.structure import ROOT

# -- one way in: a feature plugs in through its register() only ---------------------------------

# Bolt App methods that add a listener or a middleware.
BOLT_PLUG_INS = frozenset(
    {
        "action",
        "block_action",
        "attachment_action",
        "dialog_submission",
        "dialog_cancellation",
        "dialog_suggestion",
        "options",
        "block_suggestion",
        "view",
        "view_submission",
        "view_closed",
        "command",
        "event",
        "message",
        "shortcut",
        "global_shortcut",
        "message_shortcut",
        "function",
        "step",
        "use",
        "middleware",
        "error",
    }
)
# The types a register(parts) adds to (bot/core/features.py Parts and its fields).
PARTS_TYPES = frozenset(
    {"Parts", "CommandRouter", "HomeSections", "JobRegistry", "Routes", "CliCommands"}
)
# Outside a feature's register(): the app's global middleware, and the one /cx listener.
PLUG_IN_ALLOWED = {
    "bot/app.py": {"build_parts"},
    "bot/core/router.py": {"add_cx"},
}
REGISTRY_MUTATORS = frozenset(
    {"append", "extend", "add", "update", "insert", "setdefault", "register", "__setitem__"}
)


def _annotation_names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            names.update(n.value.replace("|", " ").replace("[", " ").replace("]", " ").split())
        elif isinstance(n, ast.Attribute):
            names.add(n.attr)
    return names


def _kinds_in(scope: ast.AST) -> dict[str, str]:
    """Names that hold the Bolt App ("app") or a Parts part ("parts") in a function or module."""
    kinds: dict[str, str] = {}
    arguments = getattr(scope, "args", None)
    parameters = (
        [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs] if arguments else []
    )
    for arg in parameters:
        mentioned = _annotation_names(arg.annotation)
        if "App" in mentioned:
            kinds[arg.arg] = "app"
        elif mentioned & PARTS_TYPES or arg.arg == "parts":
            kinds[arg.arg] = "parts"
    grew = True
    while grew:
        before = dict(kinds)
        for node in _own_nodes(scope):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                kind = _kind_of(node.value, kinds)
                if isinstance(target, ast.Name) and kind:
                    kinds[target.id] = kind
        grew = kinds != before
    return kinds


def _kind_of(node: ast.expr, kinds: dict[str, str]) -> str:
    """ "app" for a Bolt App (``App(...)``, ``x.app``), "parts" for Parts or one of its parts."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "App":
        return "app"
    if isinstance(node, ast.Attribute) and node.attr == "app":
        return "app"
    if isinstance(node, ast.Attribute):
        return "parts" if _kind_of(node.value, kinds) == "parts" else ""
    if isinstance(node, ast.Name):
        return kinds.get(node.id, "")
    return ""


def plug_ins(source: str, relative: str) -> list[str]:
    """Each Bolt listener/middleware added, and each ``parts`` addition, outside the places
    allowed: a feature's ``register`` (bot/<feature>/__init__.py), its cli.py, and
    PLUG_IN_ALLOWED. Module-level code may add nothing anywhere."""
    tree = ast.parse(source, relative)
    parts_of_path = Path(relative).parts
    is_feature_init = (
        len(parts_of_path) == 3
        and parts_of_path[0] == "bot"
        and (parts_of_path[2] == "__init__.py")
    )
    is_feature_cli = (
        len(parts_of_path) == 3 and parts_of_path[0] == "bot" and (parts_of_path[2] == "cli.py")
    )
    found: list[str] = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    scopes: list[tuple[str, ast.AST, dict[str, str]]] = [("<module>", tree, _kinds_in(tree))]
    scopes += [(f.name, f, _kinds_in(f)) for f in functions]
    for name, scope, kinds in scopes:
        nodes = _own_nodes(scope)
        for node in nodes:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, receiver = node.func.attr, _kind_of(node.func.value, kinds)
            is_bolt = receiver == "app" and method in BOLT_PLUG_INS
            is_part = receiver == "parts" and method == "add"
            if not (is_bolt or is_part):
                continue
            allowed = (
                (is_feature_init and name == "register")
                or (is_part and is_feature_cli and name != "<module>")
                or name in PLUG_IN_ALLOWED.get(relative, set())
            )
            if not allowed:
                found.append(f"{relative}:{node.lineno}: {ast.unparse(node.func)} in {name}")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of ``scope`` itself, not of the functions (or classes) defined inside it."""
    own: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.extend(node.decorator_list)
            continue
        own.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return own


def import_time_registrations(source: str, relative: str) -> list[str]:
    """Module-level code that adds to a module-level collection (``REGISTRY.append(x)``,
    ``HANDLERS[name] = f``, ``@REGISTRY.register``): registries filled as a side effect of
    importing, which is what register() replaces."""
    tree = ast.parse(source, relative)
    module_names = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    found: list[str] = []
    for node in _own_nodes(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in REGISTRY_MUTATORS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in module_names
        ):
            found.append(f"{relative}:{node.lineno}: {ast.unparse(node.func)}")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript | ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in module_names
                ):
                    found.append(f"{relative}:{node.lineno}: {ast.unparse(target)} = ...")
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (
                    isinstance(called, ast.Attribute)
                    and isinstance(called.value, ast.Name)
                    and called.value.id in module_names
                ):
                    found.append(f"{relative}:{decorator.lineno}: @{ast.unparse(decorator)}")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def app_sources() -> list[tuple[str, str]]:
    """(path relative to the repository, source) of every module of bot/ and handlers/."""
    return [
        (str(path.relative_to(ROOT)), path.read_text())
        for package in ("bot", "handlers")
        for path in sorted((ROOT / package).rglob("*.py"))
    ]
