"""Local Slack: a Web API emulator and a Slack-client actor, for the demo and tests."""

from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator
from slack_emulator.recording import ApiCall
from slack_emulator.transport import ActorResponse

__all__ = ["ActorResponse", "ApiCall", "SlackClientActor", "SlackEmulator"]
