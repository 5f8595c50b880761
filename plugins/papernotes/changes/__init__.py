"""What a change does to the library (`papernotes diff`): the notes of a git ref read without
checking it out, or of the working tree (`trees`); each side parsed, checked and indexed as
`papernotes check` and the build do it (`snapshot`); papers matched across the sides by arXiv id,
DOI or title and the differences listed by kind (`compare`); Markdown and JSON reports (`report`).
May import notes, index and checks; never mkdocs, and never the CLI (which hands it the settings).
"""
