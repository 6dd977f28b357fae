"""Price grids shipped as dated data files: ``data/grilles/<name>-<year>.yaml``, chosen by date."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from conventum.errors import DataFileError, TemplateError
from conventum.model.loading import parse_text


@cache
def grids(name: str, folder: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Every grid of that name, oldest first (each declares ``valable_du``); the package's by default."""
    where: Traversable = folder or resources.files("conventum").joinpath("data/grilles")
    found = []
    for entry in where.iterdir():
        if entry.name.startswith(name + "-") and entry.name.endswith(".yaml"):
            try:
                found.append(parse_text(entry.read_text("utf-8"), fmt="yaml", source=entry.name))
            except DataFileError as exc:
                raise TemplateError(f"grille illisible {entry.name} : {exc}") from exc
    return tuple(sorted(found, key=lambda grid: grid["valable_du"]))


def grid_for(name: str, when: date, folder: Path | None = None) -> dict[str, Any] | None:
    """The grid in force on that date: the latest whose ``valable_du`` is not after it."""
    valid = [grid for grid in grids(name, folder) if grid["valable_du"] <= when]
    return valid[-1] if valid else None


def first_valid(name: str) -> date | None:
    """The date the oldest grid of that name comes into force."""
    known = grids(name)
    return known[0]["valable_du"] if known else None
