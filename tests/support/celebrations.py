"""A small team with a lead and a celebrations channel, for the celebration e2e tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import ids
from bot.demo.processes import new_emulator
from bot.workspace import roles
from models import Celebration, Customer, CustomerMoment, Person, Workspace
from slack_emulator import SlackEmulator
from slack_emulator.recording import ApiCall
from tests.support.stack import START, SandboxStack


@dataclass
class Party:
    """The stack plus the people and channel the tests talk about."""

    stack: SandboxStack
    lead: str
    alice: str
    bob: str
    carol: str  # not a lead
    robot: str
    gone: str  # deactivated
    channel: str

    @property
    def emulator(self) -> SlackEmulator:
        return self.stack.emulator

    def posts(self) -> list[dict[str, Any]]:
        """Messages in the celebrations channel."""
        return self.emulator.messages(self.channel)

    def dms(self, user_id: str) -> list[dict[str, Any]]:
        """Messages the app sent to ``user_id``'s DM (none if it never opened one)."""
        dm = self.emulator.dm_channel(user_id)
        return self.emulator.messages(dm) if dm else []

    def celebrations(self) -> list[Celebration]:
        with self.stack.runtime.transaction() as session:
            rows = session.scalars(select(Celebration).order_by(Celebration.id)).all()
            for row in rows:
                _ = (row.recipients, row.values)  # load before the session closes
            return list(rows)

    def drain(self) -> None:
        """Wait until every listener the app started has finished (ends request handling).

        Bolt runs listeners on its executor after acking; shutting it down with wait=True
        is the deterministic way to know a retry really did nothing.
        """
        self.stack.app.listener_runner.listener_executor.shutdown(wait=True)

    def suggest(self, command: str) -> dict[str, Any]:
        """Carol (not a lead) types ``/cx command`` and clicks "Suggest this to a lead" on the
        refusal; the suggestion DM the lead then has."""
        self.stack.actor.slash_command(self.carol, command)
        self.emulator.wait_for("response_url")
        [refusal] = [e for e in self.emulator.ephemerals if e["to_user"] == self.carol]
        self.stack.actor.click(self.carol, message=refusal, action_id=ids.CELEBRATE_SUGGEST)
        self.emulator.wait_for("chat.postMessage", lambda c: c.args["channel"].startswith("D"))
        [suggestion] = self.dms(self.lead)
        return suggestion

    def celebrate_this(self, moment_id: int, label: str = "Celebrate this") -> dict[str, Any]:
        """Post the lead what the moments feature sends after a win: a "Celebrate this"
        button for ``moment_id``; the message as the lead's client has it."""
        button = {
            "type": "button",
            "text": {"type": "plain_text", "text": label},
            "action_id": ids.CELEBRATE_MOMENT,
            "value": str(moment_id),
        }
        posted = self.stack.runtime.clients.default().chat_postMessage(
            channel=self.lead, text=label, blocks=[{"type": "actions", "elements": [button]}]
        )
        return self.emulator.messages(str(posted["channel"]))[-1]

    def wait_post_in_channel(self) -> ApiCall:
        return self.emulator.wait_for(
            "chat.postMessage", lambda c: c.args.get("channel") in (self.channel, "celebrations")
        )[0]


@contextmanager
def start_party(
    db_url: str,
    *,
    channel_private: bool = False,
    bot_in_channel: bool = True,
    locales: dict[str, str] | None = None,
    **overrides: Any,
) -> Iterator[Party]:
    """Emulator with people and #celebrations, the app configured with one lead.

    ``locales`` gives people a Slack locale by name ("lee" the lead, "carol", ...).
    """
    roles.clear_cache()
    emulator = new_emulator()
    locale = (locales or {}).get

    def person(name: str, real_name: str) -> str:
        return str(
            emulator.add_user(name=name, real_name=real_name, locale=locale(name, "en-US"))["id"]
        )

    lead = person("lee", "Lee Lead")
    alice = person("alice", "Alice Able")
    bob = person("bob", "Bob Bright")
    carol = person("carol", "Carol Crew")
    robot = emulator.add_user(name="robot", is_bot=True)["id"]
    gone = emulator.add_user(name="gone", deleted=True)["id"]
    channel = emulator.add_channel(
        "celebrations", is_private=channel_private, bot_is_member=bot_in_channel
    )
    settings: dict[str, Any] = {"leads": (lead,), "celebrations_channel": "celebrations"}
    settings.update(overrides)
    with SandboxStack.start(
        db_url, now=START, migrate=False, emulator=emulator, **settings
    ) as stack:
        yield Party(stack, lead, alice, bob, carol, robot, gone, channel)
    roles.clear_cache()


def win_moment(
    session: Session,
    ws: Workspace,
    user_id: str,
    customer: str,
    what: str,
    display_name: str = "",
) -> int:
    """A new person ``user_id`` logs a win with a new ``customer`` on 2 March 2026; its id."""
    person = Person(workspace_id=ws.id, slack_user_id=user_id, display_name=display_name)
    customer_row = Customer(workspace_id=ws.id, name=customer, name_key=customer.lower())
    session.add_all([person, customer_row])
    session.flush()
    moment = CustomerMoment(
        workspace_id=ws.id,
        customer_id=customer_row.id,
        person_id=person.id,
        happened_on=date(2026, 3, 2),
        week_start=date(2026, 3, 2),
        touchpoint="support",
        outcome="win",
        what_happened=what,
    )
    session.add(moment)
    session.flush()
    return moment.id
