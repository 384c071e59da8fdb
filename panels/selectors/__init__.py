"""Selectors of the panels app, one module per area."""
