"""panels: models arrive with their issue."""
