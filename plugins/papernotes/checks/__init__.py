"""Checks of the notes: the one rule table (`rules`), the report the CLI prints and the build logs
(`report`), and the rules that need every note in view, one module per subject (`duplicates`,
`author_spellings`, `links`, `tag_spellings`, `contents`). Imports `notes` and `index` only, and
never MkDocs.
"""
