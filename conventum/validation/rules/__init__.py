"""Domain rules: small named functions registered once, applied as each type's YAML says."""

from conventum.validation.rules import (  # noqa: F401 - each module registers its functions
    amounts,
    annexes,
    calculs,
    dates,
    dossier,
    geography,
    parties,
    seance,
    votes,
)
from conventum.validation.rules.registry import DEFAULT_RULES, REGISTRY, Facts, rule, run_rules, uses_of

__all__ = ["DEFAULT_RULES", "REGISTRY", "Facts", "rule", "run_rules", "uses_of"]
