"""What every feature shares, once (STYLE.md): for now, each person's language."""
