"""TODO vocab."""
