"""What every feature shares, once: the disclosure gate."""
