"""Domain rules: small named functions registered once, applied as each type's YAML says."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from conventum.catalogue import ConventionType
from conventum.errors import TemplateError
from conventum.issues import Issue
from conventum.models import Convention

RuleFunction = Callable[..., Iterable[Issue]]
REGISTRY: dict[str, RuleFunction] = {}


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under the name a type's YAML uses for it."""

    def register(function: RuleFunction) -> RuleFunction:
        REGISTRY[name] = function
        return function

    return register


def run_rules(ctype: ConventionType, convention: Convention, *, today: date) -> list[Issue]:
    """Apply the type's rules plus those every type gets; collect all their issues."""
    _load_rule_modules()
    issues: list[Issue] = []
    for use in (*_default_uses(), *ctype.rules):
        function = REGISTRY.get(use.name)
        if function is None:
            raise TemplateError(f"règle inconnue « {use.name} » dans {ctype.schema_path}")
        issues.extend(function(convention, ctype=ctype, today=today, **use.params))
    return issues


def _default_uses() -> list[Any]:
    from conventum.catalogue import RuleUse

    return [RuleUse("parties.roles")]


def _load_rule_modules() -> None:
    from conventum.rules import calculs, parties  # noqa: F401 - registers its rules
