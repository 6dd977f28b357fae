"""An author's Word files: content controls read, imported as a type, filled in place; the template check."""
