"""celebrations."""
