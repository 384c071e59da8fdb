"""evaluation: models arrive with their issue."""
