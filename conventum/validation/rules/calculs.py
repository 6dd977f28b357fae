"""The rule name ``calculs``, kept for the schemas that still list it: it does nothing.

Validation runs every type's calculations as its own step, after the rules (``validate``)."""

from __future__ import annotations

from collections.abc import Iterator

from conventum.issues import Issue
from conventum.validation.rules.registry import Facts, rule


@rule("calculs")
def calculations_hold(facts: Facts) -> Iterator[Issue]:
    """Nothing: the calculations run at validation for every type, whether a schema names them here."""
    return iter(())
