"""The registry: names a type's YAML uses, and the functions registered under them."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from conventum.errors import TemplateError
from conventum.issues import Issue
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, RuleUse
from conventum.pdf.inspection import AnnexFiles


@dataclass(frozen=True)
class Facts:
    """What a rule looks at: the typed convention, its type, the day of the check, the raw data."""

    convention: Convention
    ctype: ConventionType
    today: date
    data: Mapping[str, Any] = field(default_factory=dict)
    base: Path = field(default_factory=Path.cwd)  # where relative file paths start: the data file's folder
    files: AnnexFiles | None = None  # the annex files read on the way, kept for the document's PDF


RuleFunction = Callable[..., Iterable[Issue]]
REGISTRY: dict[str, RuleFunction] = {}

# The rules every type gets without naming them; a type that names one of them
# in its ``regles:`` replaces the default use (and so gives it its parameters).
DEFAULT_RULES = (
    "parties.roles",
    "parties.natures",
    "parties.unicite",
    "parties.qualite",
    "parties.civilite",
    "parties.delegation",
    "parties.numeros_actes",
    "parties.code_postal",
    "geo.parties",
    "geo.adresses",
    "geo.identifiants",
    "dates.autorisation",
    "dates.passe",
    "annexes.numerotation",
    "annexes.fichiers",
    "annexes.citees",
    "montants.positifs",
)


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under the name a type's YAML uses for it."""

    def register(function: RuleFunction) -> RuleFunction:
        REGISTRY[name] = function
        return function

    return register


def run_rules(
    ctype: ConventionType,
    convention: Convention,
    *,
    today: date,
    data: Mapping[str, Any] | None = None,
    base: Path | None = None,
    files: AnnexFiles | None = None,
) -> list[Issue]:
    """Apply the type's rules plus those every type gets; collect all their issues. The annex
    files read on the way are kept in ``files``, when given."""
    facts = Facts(convention, ctype, today, data or {}, base or Path.cwd(), files)
    issues: list[Issue] = []
    for use in uses_of(ctype):
        issues.extend(registered(use.name, ctype)(facts, **use.params))
    return issues


def uses_of(ctype: ConventionType) -> tuple[RuleUse, ...]:
    """The rules a type applies: the defaults it does not restate, then its own."""
    named = {use.name for use in ctype.rules}
    defaults = tuple(RuleUse(name) for name in DEFAULT_RULES if name not in named)
    for use in ctype.rules:
        check_parameters(use, ctype)
    return defaults + ctype.rules


def registered(name: str, ctype: ConventionType) -> RuleFunction:
    """The function registered under a rule's name; a TemplateError names the schema otherwise."""
    function = REGISTRY.get(name)
    if function is None:
        raise TemplateError(
            f"règle inconnue « {name} » dans {ctype.schema_path}", template=str(ctype.schema_path)
        )
    return function


def check_parameters(use: RuleUse, ctype: ConventionType) -> None:
    """A rule's parameters in the YAML must be those its function accepts, the required ones given."""
    accepted, required = rule_parameters(registered(use.name, ctype))
    unknown, missing = set(use.params) - accepted, required - set(use.params)
    if unknown or missing:
        names = ", ".join(sorted(unknown)) or "aucun"
        wanted = ", ".join(sorted(missing)) or "aucun"
        message = (
            f"règle « {use.name} » dans {ctype.schema_path} : paramètre(s) inconnu(s) : {names} ;"
            f" paramètre(s) manquant(s) : {wanted}"
        )
        raise TemplateError(message, template=str(ctype.schema_path))


@cache
def rule_parameters(function: RuleFunction) -> tuple[frozenset[str], frozenset[str]]:
    """The keyword-only parameters of a rule function, and those among them without default."""
    keywords = [p for p in inspect.signature(function).parameters.values() if p.kind is p.KEYWORD_ONLY]
    required = frozenset(p.name for p in keywords if p.default is inspect.Parameter.empty)
    return frozenset(p.name for p in keywords), required
