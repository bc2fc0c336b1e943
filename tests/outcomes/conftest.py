"""The end-to-end stack (app, emulator, actor) for the outcome tests that go through Slack."""

from tests.e2e.conftest import stack as stack
