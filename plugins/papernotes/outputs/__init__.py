"""The output registry and every generated page and file."""
