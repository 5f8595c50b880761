"""The notes' grammar and model: Markdown text in, entries and diagnostics out. Knows nothing of MkDocs."""
