"""Stage 1, what a convention is: the type catalogue, building blocks (pydantic), data files. Internal."""
