"""Rendering: views of entries, note rewriting, the page shell, templates and assets."""
