"""The code's shape, checked from its source: no import cycles, an app-agnostic emulator,
no library patched at runtime (nor its internals used by tests), tests that import only the
shared harness, and features that plug in through their register() alone."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.plug_ins import app_sources, import_time_registrations, plug_ins
from tests.support.structure import (
    APP_PACKAGES,
    ROOT,
    cycle_in,
    gate_breaches,
    import_graph,
    library_patches,
    modules,
    raw_query_imports,
)
from tests.support.tests_shape import (
    SUPPORT,
    files_under_tests,
    imports_of_test_modules,
    library_private_names,
    private_library_uses,
)


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


def test_register_wires_module_level_functions_only() -> None:
    """A feature's `register` wires module-level handle_* functions: no closures or lambdas."""
    nested: list[str] = []
    for path in sorted([*(ROOT / "handlers").glob("*.py"), *ROOT.glob("bot/*/__init__.py")]):
        tree = ast.parse(path.read_text(), str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "register":
                nested += [
                    f"{path.relative_to(ROOT)}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if inner is not node
                    and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                ]
    assert nested == []


# -- one disclosure gate ----------------------------------------------------------------------


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


# -- tests/ use the libraries as documented and import only the shared harness --------------


def test_tests_use_no_private_attribute_of_slack_bolt_or_slack_sdk() -> None:
    private = library_private_names()
    found = [
        use
        for path in files_under_tests()
        for use in private_library_uses(path.read_text(), private, str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_the_private_attribute_check_finds_them() -> None:
    source = """
from slack_sdk import WebClient

def drain(stack, client: WebClient) -> None:
    stack.app._listener_runner.listener_executor.shutdown(wait=True)
    stack.runtime.clients.default().timeout = 1
    client.base_url = "http://elsewhere"
    made = WebClient(token="x")
    made._default_headers = {}
    stack.app.listener_runner.listener_executor.shutdown(wait=True)  # public: fine
    stack.actor.timeout = 3  # not a Slack client: fine

class Mine:
    def _run(self) -> None:
        self._run()  # our own method, whatever the libraries call theirs
"""
    found = private_library_uses(source, library_private_names())
    assert [line.split(":")[1] for line in found] == ["5", "6", "7", "9"], found


def test_no_test_imports_another_test_module() -> None:
    files = files_under_tests()
    siblings = frozenset(path.stem for path in files if SUPPORT not in path.parents)
    found = [
        bad
        for path in files
        for bad in imports_of_test_modules(path.read_text(), str(path.relative_to(ROOT)), siblings)
    ]
    assert found == []


def test_the_test_import_check_finds_them() -> None:
    source = """
from tests.e2e.conftest import START
from tests import flowon_data as fd
from .team import drive_week
from test_admin import VALID
import conftest
from tests.support import flowon_data
from tests.support.stack import SandboxStack
"""
    found = imports_of_test_modules(source, "t.py", frozenset({"test_admin", "conftest"}))
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5", "6"], found


# -- one way in: every feature plugs in through its register() ------------------------------


def test_features_plug_in_only_through_register() -> None:
    found = [bad for relative, source in app_sources() for bad in plug_ins(source, relative)]
    assert found == []


def test_the_plug_in_check_finds_listeners_and_parts_added_elsewhere() -> None:
    register = """
def register(parts: Parts) -> None:
    app = parts.app
    app.action("a")(handle_a)
    parts.app.view("v")(handle_v)
    words = parts.commands
    words.add("w", handle_w)
    extra(parts)

def extra(parts: Parts) -> None:
    parts.jobs.add(job)
    jobs = parts.jobs
    jobs.add(job)

def wire(app: App) -> None:
    app.use(middleware)
"""
    assert [line.split(": ")[1] for line in plug_ins(register, "bot/pulse/__init__.py")] == [
        "parts.jobs.add in extra",
        "jobs.add in extra",
        "app.use in wire",
    ]
    module_level = "app = App()\napp.command('/x')(handle_x)\n"
    assert len(plug_ins(module_level, "handlers/pulse.py")) == 1
    elsewhere = "def start(parts: Parts, app: App) -> None:\n    app.event('e')(f)\n"
    assert len(plug_ins(elsewhere, "bot/pulse/jobs.py")) == 1
    cli = "def register(cli: CliCommands) -> None:\n    cli.add('x', run, help='x')\n"
    assert plug_ins(cli, "bot/ops/cli.py") == []
    assert len(plug_ins(cli, "bot/ops/health.py")) == 1
    assert plug_ins("def build_parts(s):\n    app = App()\n    app.use(m)\n", "bot/app.py") == []


def test_nothing_is_registered_at_import_time() -> None:
    found = [
        bad
        for relative, source in app_sources()
        for bad in import_time_registrations(source, relative)
    ]
    assert found == []


def test_the_import_time_check_finds_module_level_registries() -> None:
    source = """
HANDLERS: dict[str, object] = {}
JOBS = []
REGISTRY = Registry()
SURFACES = {"digest": "bot.digest.content"}  # a literal: fine
HANDLERS["pulse"] = handle_pulse
JOBS.append(pulses)

@REGISTRY.register
def handle_x() -> None:
    JOBS.append(later)  # inside a function: runs when called, not on import

if True:
    JOBS.extend([a, b])
"""
    found = import_time_registrations(source, "bot/pulse/jobs.py")
    assert [line.split(":")[1] for line in found] == ["6", "7", "9", "14"], found
