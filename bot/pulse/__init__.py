"""pulse."""
