"""What only `mkdocs serve` uses: the rebuild cache that reuses every page, body and file a rebuild
can prove unchanged. `incremental.Incremental` is the façade the plugin's hooks drive; behind it
one module per stage of a page (parsed_notes, markdown_pass, bodies, theme_pass, search_entries,
sitemap, settled_pages), each with its own state, proving its input unchanged by a fingerprint
(fingerprints.py, pure) and keeping its results in the stores (stores.py, no MkDocs import);
environment.py fingerprints everything pages are not fingerprinted by; site_dir.py keeps
`site_dir` between rebuilds; warm_start.py keeps the cache and the site on disk for the next
`serve` (what is kept: serve_state.py; its files, checked before use: cache_file.py); theme_files.py
lists the theme's static files once per environment; watcher.py
makes the file watcher quicker; collector.py keeps the cyclic garbage collector off the heap
while any build runs (`mkdocs build` too). May import
`papernotes.notes`, MkDocs, Jinja and watchdog; fingerprints.py and stores.py import no MkDocs,
so render/ and outputs/ use them in any build.
"""
