"""Validation: schema (pydantic) then domain rules, all problems collected in one pass."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from conventum.issues import Issue, Location, errors, format_path
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, label_of

# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab and line breaks, surrogates, U+FFFE/F.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# pydantic error type → our stable code
PYDANTIC_CODES: dict[str, str] = {
    "missing": "field.missing",
    "extra_forbidden": "field.unknown",
    "literal_error": "field.not_in_choices",
    "enum": "field.not_in_choices",
    "date_parsing": "field.invalid_date",
    "date_from_datetime_parsing": "field.invalid_date",
    "date_from_datetime_inexact": "field.invalid_date",
    "date_type": "field.invalid_date",
    "decimal_parsing": "field.invalid_number",
    "decimal_type": "field.invalid_number",
    "float_parsing": "field.invalid_number",
    "int_parsing": "field.invalid_integer",
    "int_type": "field.invalid_integer",
    "int_from_float": "field.invalid_integer",
    "bool_parsing": "field.invalid_boolean",
    "bool_type": "field.invalid_boolean",
    "string_type": "field.invalid_text",
    "list_type": "field.invalid_list",
    "model_type": "field.invalid_object",
    "model_attributes_type": "field.invalid_object",
    "dict_type": "field.invalid_object",
    "string_too_short": "field.empty",
    "greater_than_equal": "field.too_small",
    "greater_than": "field.too_small",
    "less_than_equal": "field.too_large",
    "less_than": "field.too_large",
}


@dataclass(frozen=True)
class ValidationResult:
    """What validation found: the typed convention (when the schema holds) and the issues."""

    convention: Convention | None
    issues: list[Issue]
    data: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.convention is not None and not errors(self.issues)


def validate(
    ctype: ConventionType, data: Mapping[str, Any], *, today: date | None = None, base: Path | None = None
) -> ValidationResult:
    """Check data against a type: schema first, then the type's rules; never raises on bad data."""
    prepared, issues = prepare_parties(ctype, data)
    issues += list(unwritable_characters(prepared))
    model = ctype.model
    try:
        convention = model.model_validate(prepared)
    except ValidationError as exc:
        issues += [issue_from_pydantic(model, error, prepared) for error in exc.errors()]
        return ValidationResult(None, issues, prepared)
    from conventum.validate.rules import run_rules

    issues += run_rules(ctype, convention, today=today or date.today(), data=data, base=base)
    return ValidationResult(convention, issues, prepared)


def prepare_parties(ctype: ConventionType, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """Put the type's default parties in (after the given ones) and merge overrides onto them."""
    prepared = copy.deepcopy(dict(data))
    if "annexes" not in prepared and ctype.raw.get("annexes"):
        prepared["annexes"] = copy.deepcopy(ctype.raw["annexes"])  # the annexes the type generates
    given = prepared.get("parties", [])
    if not isinstance(given, list) or not ctype.roles:
        return prepared, []
    issues: list[Issue] = []
    order = {role.role for role in ctype.roles}
    parties: list[Any] = []
    for index, party in enumerate(given):
        role = party.get("role") if isinstance(party, dict) else None
        if isinstance(party, dict) and role not in order:
            issues.append(_role_issue(ctype, index, role))
        parties.append(party)
    for role in ctype.roles:
        parties = _apply_default(role, parties, ctype.default_party(role, prepared))
    # Parties keep the data's order, so that issue paths name the data's indexes;
    # defaults come after them. The context orders them by role for the document.
    prepared["parties"] = parties
    return prepared, issues


def unwritable_characters(value: Any, location: Location = ()) -> Iterator[Issue]:
    """A text holding a character a Word document cannot hold (a control character pasted in)."""
    if isinstance(value, str):
        found = NOT_IN_XML.search(value)
        if found:
            params = {
                "value": _short(NOT_IN_XML.sub("\ufffd", value)),
                "code": f"U+{ord(found.group()):04X}",
                "position": found.start() + 1,
            }
            yield Issue("field.caractere_interdit", format_path(location), params)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from unwritable_characters(item, (*location, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unwritable_characters(item, (*location, index))


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


def issue_from_pydantic(model: type[Convention], error: ErrorDetails, data: Any) -> Issue:
    """Translate one pydantic error into an issue with our code and French parameters."""
    location = tuple(error["loc"])
    kind = error["type"]
    code = PYDANTIC_CODES.get(kind, "field.invalid")
    params: dict[str, Any] = {"label": label_of(model, location), "value": _short(error.get("input"))}
    context = error.get("ctx") or {}
    message = str(context.get("error", error.get("msg", "")))
    if kind == "value_error" and "choice|" in message:
        code = "field.not_in_choices"
        params["choices"] = message.split("choice|", 1)[1]
    elif kind == "literal_error":
        params["choices"] = ", ".join(re.findall(r"'([^']*)'", str(context.get("expected", ""))))
    elif kind == "extra_forbidden":
        params["field"] = str(location[-1])
    elif "limit_value" in str(context) or kind in ("greater_than_equal", "less_than_equal"):
        params["limit"] = next((v for k, v in context.items() if k in ("ge", "gt", "le", "lt")), "")
    if code == "field.invalid":
        params["detail"] = message
    return Issue(code, format_path(location), params)


def _short(value: Any) -> Any:
    text = value if isinstance(value, (str, int)) else str(value)
    if isinstance(text, str) and len(text) > 80:
        return text[:77] + "…"
    return text
