"""TODO extract."""
