"""The `papernotes` command: `main` parses the command line and hands off to one module per
subcommand (`check`, `import_notes`, `diff`, `add`); `project` reads what they know of the
project (mkdocs.yml's plugin options, the notes). May import every stage but `serve` and
`mkdocs_plugin`, except the plugin's config class, borrowed so options are validated the
way the build validates them."""
