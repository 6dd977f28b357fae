"""Stage 5, rendering: the engine (the prepared template in docxtpl's format, the output check). Internal."""
