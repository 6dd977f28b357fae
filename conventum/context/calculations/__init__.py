"""Computed values: named calculators a type's YAML lists under ``calculs``, adding to the context."""

from conventum.context.calculations import (  # noqa: F401 - each module registers its functions
    assemblees,
    groupement,
    plateforme,
    services_numeriques,
    textes,
)
from conventum.context.calculations.registry import (
    READS,
    REGISTRY,
    calculation,
    computed_values,
    run_calculations,
)

__all__ = ["READS", "REGISTRY", "calculation", "computed_values", "run_calculations"]
