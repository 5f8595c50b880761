"""What only `mkdocs serve` uses: fingerprints, the rebuild cache, settled pages, site_dir."""
