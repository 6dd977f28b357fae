"""The rules that can run on incomplete data: each party alone, typed field by field (what does not
parse is left out), checked by the rules that look at one party (postal code ↔ town, commune known,
qualité ↔ nature, decision before signature). A rule that needs a field still missing is skipped
for that party: what it would say cannot be known yet.

Validation runs them when the schema refuses the data, so that a clerk (the form as a field is left,
``conventum validate`` in one run) sees every problem that can be known, not only the schema's."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from conventum.geo.lookup import geography
from conventum.issues import Issue
from conventum.model.blocks import Adresse, Partie
from conventum.model.catalogue import ConventionType
from conventum.validation.rules import REGISTRY, Facts, uses_of
from conventum.validation.rules.geography import check_address
from conventum.validation.rules.parties import POSTAL_CODE

ADDRESS_RULES = ("parties.code_postal", "geo.adresses")
# The rules that look at each party on its own (and at the convention's signature date).
PARTY_RULES = (
    "parties.natures",
    "parties.code_postal",
    "parties.qualite",
    "parties.delegation",
    "geo.parties",
    "geo.adresses",
    "dates.autorisation",
)


def typed_part(model: type[BaseModel], raw: Mapping[str, Any]) -> BaseModel:
    """A model holding the fields of ``raw`` that parse on their own (others absent)."""
    built = model.model_construct()  # defaults in; a required field missing stays absent
    for key, given in raw.items():
        if key not in model.model_fields:
            continue
        nested = _nested_model(model, key)
        value: Any = given
        if nested is not None and isinstance(given, Mapping):
            value = typed_part(nested, given)
        elif nested is not None and isinstance(given, list):
            value = [typed_part(nested, item) if isinstance(item, Mapping) else item for item in given]
        try:
            model.__pydantic_validator__.validate_assignment(built, key, value)
        except (ValidationError, AttributeError, TypeError, ValueError):
            built.__dict__.pop(key, None)
    return built


def _nested_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    annotation = model.model_fields[key].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def partial_issues(
    ctype: ConventionType, data: Mapping[str, Any], *, today: date, base: Path | None = None
) -> list[Issue]:
    """The issues of the one-party rules, for every party, whatever else is missing or wrong."""
    parties = data.get("parties")
    if not isinstance(parties, list):
        return []
    uses = [use for use in uses_of(ctype) if use.name in PARTY_RULES]
    top = {key: value for key, value in data.items() if key == "signature"}
    issues: list[Issue] = []
    for index, raw in enumerate(parties):
        if not isinstance(raw, Mapping):
            continue
        party = typed_part(Partie, raw)
        if not isinstance(party, Partie) or not _has(party, "nature", "nom"):
            issues += address_issues(ctype, raw, index)  # the party has no name yet: its address alone
            continue
        for use in uses:
            subject = party
            if use.name not in ADDRESS_RULES:
                # a rule on the name (commune known) needs no address: what is missing of it stands in
                given = party.__dict__.get("adresse")
                known = given.__dict__ if isinstance(given, Adresse) else {}
                stand_in = Adresse.model_construct(**{"voie": "", "code_postal": "", "commune": "", **known})
                subject = party.model_copy(update={"adresse": stand_in})
            convention = typed_part(ctype.model, top)
            convention.__dict__["parties"] = [subject]
            facts = Facts(convention, ctype, today, data, base or Path.cwd())  # type: ignore[arg-type]
            issues += _run(REGISTRY[use.name], facts, index, use.params)
    return issues


def address_issues(ctype: ConventionType, raw: Mapping[str, Any], index: int) -> list[Issue]:
    """The address of a party not named yet: its postal code's form, the town it serves."""
    given = raw.get("adresse")
    if not isinstance(given, Mapping):
        return []
    address = typed_part(Adresse, given)
    if not isinstance(address, Adresse) or not _has(address, "code_postal"):
        return []
    path = f"parties[{index}].adresse"
    if not POSTAL_CODE.match(address.code_postal):
        role = ctype.role(str(raw.get("role")))
        who = role.libelle[:1].lower() + role.libelle[1:] if role else "la partie"
        params = {"code_postal": address.code_postal, "partie": who}
        return [Issue("parties.code_postal_invalide", f"{path}.code_postal", params)]
    if not _has(address, "commune"):
        return []
    try:
        return list(check_address(address, path, geography()))
    except (AttributeError, TypeError):
        return []


def _has(model: BaseModel, *names: str) -> bool:
    return all(name in model.__dict__ for name in names)


def _run(function: Any, facts: Facts, index: int, params: Mapping[str, Any]) -> list[Issue]:
    found: list[Issue] = []
    try:
        for issue in function(facts, **params):
            found.append(_reindexed(issue, index))
    except (AttributeError, TypeError, KeyError):
        return found  # a field the rule needs is missing: what it found before still holds
    return found


def _reindexed(issue: Issue, index: int) -> Issue:
    if not issue.path.startswith("parties[0]"):
        return issue
    path = f"parties[{index}]" + issue.path[len("parties[0]") :]
    return Issue(issue.code, path, issue.params, issue.severity)
