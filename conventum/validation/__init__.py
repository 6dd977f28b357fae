"""Stage 3, validation: schema problems and domain rules, as issues with field paths. Internal."""
