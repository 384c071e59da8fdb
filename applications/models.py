"""applications: models arrive with their issue."""
