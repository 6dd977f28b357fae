"""Validation: schema (pydantic), domain rules, then the type's calculations, all problems collected."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from conventum.context.calculations import run_calculations
from conventum.errors import CalculationError
from conventum.geo.parties import complete_parties
from conventum.issues import Issue, errors
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.model.problems import issue_from_pydantic, unwritable_characters
from conventum.model.trees import copy_tree
from conventum.pdf.inspection import AnnexFiles
from conventum.validation.partial import partial_issues
from conventum.validation.rules import run_rules


@dataclass(frozen=True)
class ValidationResult:
    """What validation found: the typed convention (when the schema holds) and the issues."""

    convention: Convention | None
    issues: list[Issue]
    data: dict[str, Any]
    # The values the type's calculations derived while validating (None: not run, because the
    # rules found an error, or they failed): the context takes them as they are.
    computed: dict[str, Any] | None = None
    # The annex files validation located and read: the document's PDF appends the same bytes.
    files: AnnexFiles | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.convention is not None and not errors(self.issues)


def validate(
    ctype: ConventionType, data: Mapping[str, Any], *, today: date | None = None, base: Path | None = None
) -> ValidationResult:
    """Check data against a type: schema first, then the type's rules, then (when the rules found no
    error) the type's calculations, whose problems are issues too; never raises on bad data."""
    prepared, issues = prepare_parties(ctype, data)
    issues += complete_parties(prepared)  # from the official geography: names, natures, articles
    issues += list(unwritable_characters(prepared))
    model = ctype.model
    try:
        convention = model.model_validate(prepared)
    except ValidationError as exc:
        issues += [issue_from_pydantic(model, error, prepared) for error in exc.errors()]
        # the rules that can run on what parsed, so that every problem that can be known is said now
        issues += _new(issues, partial_issues(ctype, prepared, today=today or date.today(), base=base))
        return ValidationResult(None, issues, prepared)
    files = AnnexFiles(base or Path.cwd())
    issues += run_rules(ctype, convention, today=today or date.today(), data=data, base=base, files=files)
    if errors(issues):
        return ValidationResult(convention, issues, prepared, files=files)
    computed, problems = calculate(ctype, convention)
    return ValidationResult(convention, issues + problems, prepared, computed, files)


def calculate(ctype: ConventionType, convention: Convention) -> tuple[dict[str, Any] | None, list[Issue]]:
    """The values the type's calculations derive, or None and their problems (with field paths)."""
    try:
        return run_calculations(ctype, convention), []
    except CalculationError as exc:
        return None, list(exc.issues)


def _new(known: list[Issue], found: list[Issue]) -> list[Issue]:
    seen = {(issue.code, issue.path) for issue in known}
    return [issue for issue in found if (issue.code, issue.path) not in seen]


def prepare_parties(ctype: ConventionType, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """Put the type's default parties in (after the given ones) and merge overrides onto them."""
    prepared: dict[str, Any] = copy_tree(dict(data))
    if "annexes" not in prepared and ctype.annexes:
        prepared["annexes"] = [
            dict(annex) for annex in copy.deepcopy(ctype.annexes)
        ]  # the type generates them
    given = prepared.get("parties", [])
    if not isinstance(given, list) or not ctype.roles:
        return prepared, []
    issues: list[Issue] = []
    order = {role.role for role in ctype.roles}
    parties: list[Any] = []
    for index, party in enumerate(given):
        role = party.get("role") if isinstance(party, dict) else None
        if isinstance(party, dict) and (not isinstance(role, str) or role not in order):
            issues.append(_role_issue(ctype, index, role))
        parties.append(party)
    for role in ctype.roles:
        parties = _apply_default(role, parties, ctype.default_party(role, prepared))
    # Parties keep the data's order, so that issue paths name the data's indexes;
    # defaults come after them. The context orders them by role for the document.
    prepared["parties"] = parties
    return prepared, issues


def _role_issue(ctype: ConventionType, index: int, role: Any) -> Issue:
    choices = [known.role for known in ctype.roles]
    if role is None:
        return Issue("field.missing", f"parties[{index}].role", {"label": "Rôle"})
    return Issue("parties.role_unknown", f"parties[{index}].role", {"role": role, "choices": choices})


def _apply_default(role: Any, parties: list[Any], default: dict[str, Any] | None) -> list[Any]:
    if not default:
        return parties
    mine = [p for p in parties if isinstance(p, dict) and p.get("role") == role.role]
    if not mine:
        return [*parties, {"role": role.role, **copy.deepcopy(default)}]
    return [deep_merge(default, p) if p in mine else p for p in parties]


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Override's keys win; nested mappings are merged, lists replaced.

    >>> deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}})
    {'a': {'b': 1, 'c': 3}}
    """
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
