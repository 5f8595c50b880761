"""Python-Markdown extensions the site's Markdown goes through: GitHub's heading ids (`github_ids`)
and lazy images (`lazy_images`). They import Python-Markdown and, for GitHub's numbering of
repeated ids, `notes.slugs`; never MkDocs, so they work in any Python-Markdown.
"""
