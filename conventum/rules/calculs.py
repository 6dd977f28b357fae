"""The rule that runs a type's calculators at validation, so that their issues are reported there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conventum.catalogue import ConventionType
from conventum.computations import CalculationError, run_calculations
from conventum.issues import Issue
from conventum.models import Convention
from conventum.rules import rule


@rule("calculs")
def calculations_hold(convention: Convention, *, ctype: ConventionType, **_: Any) -> Iterator[Issue]:
    """The computed annexes can be computed from the data (grid in force, category, coordinator…)."""
    try:
        run_calculations(ctype, convention)
    except CalculationError as exc:
        yield from exc.issues
