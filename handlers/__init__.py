"""Slack listeners only: parse the payload, call a service, render, ack."""
