"""Checks of the notes: the rule table, the report, and the cross-note rules."""
