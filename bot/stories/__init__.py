"""The customer's own telling of a moment: one-time links, the web page, and where it shows."""
