"""What every feature shares, once (see STYLE.md)."""
