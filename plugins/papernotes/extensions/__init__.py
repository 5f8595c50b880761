"""Python-Markdown extensions the plugin adds: GitHub's heading ids, lazy images."""
