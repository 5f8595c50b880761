"""The MkDocs layer: the plugin's hooks, its config, log filters, generated pages and the nav."""
