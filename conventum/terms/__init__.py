"""Terms of conventions: the schedule one function computes (periods, deadlines), the article's words."""
