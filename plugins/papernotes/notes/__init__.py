"""The notes themselves: a note's file read as text (`source`), the one grammar that parses it
(`grammar`) into the plain values of `model`, and what follows from one note alone: paper
identity (`identity`), heading anchors and page slugs (`slugs`), where its figures point
(`figures`). Imports nothing else of papernotes and never MkDocs, so the plugin, the CLI and the
tests share every rule here.
"""
