"""Send statuses that mean "the DM reached the person" (before and after its window closed)."""

SENT = ("sent", "closed")
