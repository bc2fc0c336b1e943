"""Customer outcomes from the customers themselves: help-desk imports and the signed webhook."""
