"""Word forms: content controls read, imported as a type, filled in place. Internal."""
