"""Avenants: a registered convention amended article by article, its consolidated version, and the
changes between two versions as Word tracked changes."""
