"""App Home is published when a person opens it."""

from __future__ import annotations

from tests.support.stack import SandboxStack


def test_app_home_opened_publishes_home(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="gus")["id"]
    reply = stack.actor.app_home_opened(user)
    assert reply.status == 200
    (call,) = stack.emulator.wait_for("views.publish")
    assert call.args["user_id"] == user
    view = call.args["view"]
    assert view["type"] == "home"
    assert view["blocks"][0]["type"] == "header"
