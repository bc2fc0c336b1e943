"""Local Slack: a Web API emulator and a Slack-client actor, for the demo and tests."""

from bot.sandbox.client import SlackClientActor
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.recording import ApiCall
from bot.sandbox.transport import ActorResponse

__all__ = ["ActorResponse", "ApiCall", "SlackClientActor", "SlackEmulator"]
