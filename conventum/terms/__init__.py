"""Terms of conventions: the schedule of periods and deadlines one function computes, and the article's words."""
