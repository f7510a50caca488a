"""Performance sharing and the evaluation indices."""
