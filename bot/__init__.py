"""CX Pulse: a Slack app linking how staff feel to how customers fare."""
