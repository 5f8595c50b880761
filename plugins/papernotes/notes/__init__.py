"""The notes themselves: a note's file read as text (`source`), the one grammar that parses it
(`grammar`) into the plain values of `model`, and what follows from one note alone: paper
identity (`identity`), heading anchors and page slugs (`slugs`), where its figures point
(`figures`); and `memo`, which keeps the results of slow pure functions (here and in the index,
the checks and the renderer) for the next `mkdocs serve`. Imports nothing else of papernotes and
never MkDocs, so the plugin, the CLI and the tests share every rule here.
"""
