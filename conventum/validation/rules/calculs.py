"""The rule that runs a type's calculators at validation, so that their issues are reported there."""

from __future__ import annotations

from collections.abc import Iterator

from conventum.context.calculations import run_calculations
from conventum.errors import CalculationError
from conventum.issues import Issue
from conventum.validation.rules.registry import Facts, rule


@rule("calculs")
def calculations_hold(facts: Facts) -> Iterator[Issue]:
    """The computed annexes can be computed from the data (grid in force, category, coordinator…)."""
    try:
        facts.computed.update(run_calculations(facts.ctype, facts.convention))
    except CalculationError as exc:
        yield from exc.issues
