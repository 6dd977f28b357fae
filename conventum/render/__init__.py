"""Stage 5, rendering: the prepared template (docxtpl's format), output check, template check. Internal."""
