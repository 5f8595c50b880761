"""What the tests share besides fixtures (those stay in tests/conftest.py). No test module imports another.

- `paths`: `REPO` (this checkout), `TESTS`, `SEED` (the seed note), `FIXTURES` (tests/fixtures/),
  `PAGES_SITE_URL` (the address the Pages workflow gives the site) and `NOT_COPIED` (what a copy of
  the checkout leaves out: the site, git's files, and what the test run writes into the checkout).
- `sites`: `write_site` lays out mkdocs.yml, docs/ and assets/ in a folder; `build` runs a real MkDocs
  build of it in this process and returns a `Site` (its HTML by source path, its log messages).
- `commands`: `papernotes(cwd, *args)`, the command line as a subprocess, as a contributor runs it;
  `unmeasured(env)`, the environment of a Python child coverage need not measure.
- `gitrepo`: git repositories made inside a test, with dated commits; `dated_notes`, the
  renamed, retitled and re-added notes whose dates the history tests check.
- `libgen`: a seeded generator of libraries of a few thousand entries (scale, reproducibility).
- `serving`: builds driven the way `mkdocs serve` drives them, tree comparison, HTTP helpers.
- `addkit`: the recorded arXiv and Crossref answers replayed to `papernotes add`, and the small
  library (`make_library`) it adds to.
- `contrast`: `CONTRAST_JS`, the WCAG contrast of an element as the browser tests measure it in the page.

Modules here import one another relatively, so the benchmark scripts can import them as
`tests.support...` from the repository root as well as `support...` from tests/.
"""
