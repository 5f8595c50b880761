"""Every page and file the plugin adds to the site: one module per page or file type, its
declaration (`registry.declare`) beside the code that makes its body (`assets`, `home`, `must_read`,
`explorer`, `recent`, `tags`, `authors`, `stats`, `exports`, `papers_bib`, `feeds`), the
registry that lists them in order (`registry`), and where they go (`paths`, which
`papernotes check` reads too). It may import `notes`, `index`, `render` and the pure
`serve.fingerprints` and `serve.stores`; never MkDocs: the plugin hands the declarations its options as a mapping.
"""
