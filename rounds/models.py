"""rounds: models arrive with their issue."""
