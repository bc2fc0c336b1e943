"""The demo: a simulated company's weeks, played against the local Slack emulator."""
