"""Adding a paper: an arXiv id, a DOI or a BibTeX record in, one entry in a note out (`papernotes add`).

Identifiers, the arXiv and Crossref clients (the only code in the project that uses the network,
and only when `papernotes add` runs: nothing is fetched at import, and a build never comes here),
BibTeX records, the metadata-to-entry rules, reconciliation with the library that is already there,
and the insertion of the entry into a note's bytes. It may import `notes`, `index` and `checks`,
never `mkdocs`, the plugin or the outputs.
"""
