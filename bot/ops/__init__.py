"""Running CX Pulse in production: probes, metrics, JSON logs, graceful stop."""
