"""What tests/ itself must keep to: libraries used as documented, only the harness imported.

Read from the source (AST); tests/test_structure.py runs these over tests/ and over planted
violations."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from tests.support.structure import ROOT, library_patches

# -- tests/: library internals and test-to-test imports ---------------------------------------

TESTS = ROOT / "tests"
SUPPORT = TESTS / "support"
# What a test may set on a Slack client only by constructing it (``WebClient(timeout=...)``).
CLIENT_SETTINGS = frozenset({"timeout", "base_url", "token", "retry_handlers", "proxy", "ssl"})


@cache
def library_private_names() -> frozenset[str]:
    """Every ``_name`` slack_bolt and slack_sdk define on their objects (attributes, methods)."""
    import slack_bolt
    import slack_sdk

    found: set[str] = set()
    for package in (slack_bolt, slack_sdk):
        for path in Path(package.__path__[0]).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                name = ""
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    name = node.attr
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    name = node.name
                if name.startswith("_") and not name.startswith("__"):
                    found.add(name)
    return frozenset(found)


def private_library_uses(
    source: str, private: frozenset[str], filename: str = "<source>"
) -> list[str]:
    """Reads or writes of a slack_bolt/slack_sdk private attribute, and client settings changed
    after construction (on a library object, or on anything that is a ``client``)."""
    tree = ast.parse(source, filename)
    found = library_patches(source, filename)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in private
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{filename}:{node.lineno}: .{node.attr}")
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr in CLIENT_SETTINGS
                and "client" in ast.unparse(target.value).lower()
            ):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(found))


def imports_of_test_modules(source: str, filename: str, sibling_names: frozenset[str]) -> list[str]:
    """Imports of test modules from ``source``: ``tests.X`` other than ``tests.support``,
    relative imports, and bare imports of another module that sits in tests/."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.append(f"{filename}:{node.lineno}: relative import")
                continue
            names = [node.module or ""]
            if node.module == "tests":
                names = [f"tests.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            top = name.split(".")
            outside_support = top[0] == "tests" and (len(top) < 2 or top[1] != "support")
            if outside_support or top[0] in sibling_names:
                found.append(f"{filename}:{node.lineno}: {name}")
    return found


def files_under_tests() -> list[Path]:
    """Every Python file under tests/ (tests, conftests, child scripts, the shared harness)."""
    return sorted(TESTS.rglob("*.py"))
