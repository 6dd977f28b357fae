"""Stage 4, the template context: the type's calculations and the values its template reads. Internal."""
