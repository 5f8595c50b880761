"""The MkDocs layer: `plugin.PapernotesPlugin`, whose hooks hand off to one module per stage of a build
(reading the notes into a `build_state.BuildState`, indexing them, generating the registry's
outputs into MkDocs' `Files`, logging diagnostics, laying out the nav, rendering note pages,
making generated pages lean, feed links), beside the plugin's options (config.py), what it adds
to MkDocs' config (site_config.py), its log filters and its mkdocs-macros bridge. May import
every other part of the package; only the output registry imports from here (the plugin's
options, `config.PapernotesConfig`).
"""
