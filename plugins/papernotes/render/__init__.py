"""Rendering: what templates see of an entry and the rows of every generated list (`views`), a
note's page rewritten with its entries rendered (`note_page`), the shell of a generated page
(`page_shell`), the Jinja environment (`environment`) with its `templates/`, the BibTeX
records (`bibtex`) and the CSS and JavaScript in `assets/`. It may import `notes`, `index`
and the pure `serve.fingerprints` and `serve.stores`; never `outputs` (which builds on it) and never MkDocs.
"""
