"""The library: every parsed note indexed once per build (`library`) into authors (`authors`), tags
(`tags`) and URLs (`urls`), with the rules for names (`names`), the aliases file that merges
spellings (`aliases`) and the dates entries were added, from git (`history`). Imports `notes`
only, and never MkDocs.
"""
