"""The registry: names a type's YAML uses, and the functions registered under them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from conventum.errors import CalculationError, TemplateError, ValidationFailed
from conventum.issues import Issue
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, RuleUse

CalculationFunction = Callable[..., Mapping[str, Any]]
REGISTRY: dict[str, CalculationFunction] = {}
# The data fields each calculator reads: conventum check counts them as used ("nothing asked is dropped").
READS: dict[str, tuple[str, ...]] = {}


def calculation(
    name: str, *, reads: tuple[str, ...] = ()
) -> Callable[[CalculationFunction], CalculationFunction]:
    """Register a calculator under the name a type's YAML uses for it, with the fields it reads."""

    def register(function: CalculationFunction) -> CalculationFunction:
        REGISTRY[name] = function
        READS[name] = reads
        return function

    return register


def calculation_uses(ctype: ConventionType) -> list[RuleUse]:
    """The calculators a type declares: names, or {nom, parametres} mappings."""
    return list(ctype.calculations)


def run_calculations(ctype: ConventionType, convention: Convention) -> dict[str, Any]:
    """The values all the type's calculators derive; CalculationError gathers their issues."""
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    for use in calculation_uses(ctype):
        function = REGISTRY.get(use.name)
        if function is None:
            raise TemplateError(f"calcul inconnu « {use.name} » dans {ctype.schema_path}")
        try:
            values.update(function(convention, ctype=ctype, **use.params))
        except CalculationError as exc:
            issues.extend(exc.issues)
    if issues:
        raise CalculationError(issues)
    return values


def computed_values(ctype: ConventionType, convention: Convention) -> dict[str, Any]:
    """The calculators' values for the template; their issues make the rendering fail as validation."""
    try:
        return run_calculations(ctype, convention)
    except CalculationError as exc:
        raise ValidationFailed(exc.issues, ctype=ctype) from exc
