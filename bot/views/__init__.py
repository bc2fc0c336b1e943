"""Pure functions that build Block Kit; no Slack I/O."""
