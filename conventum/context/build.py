"""Derived values for templates: French dates, agreement, ordinals, the parties' phrases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from conventum.clauses.closing import closing, done_at
from conventum.context.calculations import computed_values
from conventum.context.parties import party_views, signature_view
from conventum.french.formatting import number_with_words
from conventum.french.typography import normalise_values
from conventum.french.worddates import format_word_date
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, as_type
from conventum.model.specs import FieldSpec
from conventum.terms.resolve import term_fields, term_of, writing_of
from conventum.terms.wording import term_words


def build_context(
    convention_type: str | ConventionType, convention: Convention, computed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Everything a template may use: the data as given, plus the phrases derived from it.

    ``computed`` are the values the type's calculations gave at validation
    (``ValidationResult.computed``); without them, the calculations run here.
    """
    ctype = as_type(convention_type)
    context: dict[str, Any] = convention.model_dump(mode="python", exclude={"parties", "signature"})
    count = len(convention.parties)
    parties = party_views(ctype, convention)
    context["parties"] = parties
    for role in ctype.roles:
        mine = [view for view in parties if view["role"] == role.role]
        context[role.role] = mine[0] if mine else None
        context[role.role + "_liste"] = mine
    context["signature"] = signature_view(convention.signature)
    context["convention"] = {"type": ctype.name, "titre": ctype.titre, "version": ctype.version}
    exemplaires = copies_count(ctype, count)
    unit = "exemplaire" if exemplaires == 1 else "exemplaires"
    context["exemplaires"] = number_with_words(int(exemplaires), unit) if exemplaires else ""
    # The phrases conventum derives (grids, assemblies, defaults of the schema) follow the same
    # typography as the data, which was normalised when it was read.
    context.update(normalise_values(computed_values(ctype, convention) if computed is None else computed))
    for name in term_fields(ctype):  # the term's phrases: "de deux (2) ans, renouvelable une (1) fois …"
        context[name] = term_words(term_of(ctype, convention, name), writing_of(ctype, name))
    apply_display(ctype.fields, context)
    # The closing section (conventum.clauses.closing): the place given, else the town of the party
    # who keeps the originals (a groupement's coordinator), else of the first party.
    keeper = context.get("coordonnateur_partie")
    place = (convention.signature.lieu if convention.signature else None) or (
        first_town([keeper] if isinstance(keeper, dict) else parties) or ""
    )
    when = context["signature"]["date"] if context["signature"]["datee"] else ""
    context.setdefault("fait_a", done_at(place, when))  # a délibération's calculation writes its own
    context.setdefault("cloture", closing(place, when, context["exemplaires"]))
    return context


def copies_count(ctype: ConventionType, parties: int) -> int:
    """The number of originals, counted as the type's rule ``montants.exemplaires`` counts them: the
    schema's ``exemplaires`` is a total, or, with ``par_partie``, the number per party; without
    either, one per party. A convention and its avenants count the same way."""
    rule = next((use for use in ctype.rules if use.name == "montants.exemplaires"), None)
    per_party = rule.params.get("par_partie") if rule is not None else None
    if per_party is not None:
        return int(ctype.copies if ctype.copies is not None else per_party) * parties
    return ctype.copies if ctype.copies is not None else parties


def first_town(parties: list[dict[str, Any]]) -> str | None:
    """The town of the first party's seat: where a convention is signed when no place is given."""
    return str(parties[0]["adresse"]["commune"]) if parties else None


def apply_display(fields: Mapping[str, FieldSpec], values: dict[str, Any]) -> None:
    """Honour a field's display declaration: a date's ``format:``, a choice's ``affichage: libelle``."""
    for name, spec in fields.items():
        value = values.get(name)
        if spec.kind == "date" and spec.date_format and isinstance(value, date):
            values[name] = format_word_date(value, spec.date_format)
        elif spec.kind == "choix" and spec.display == "libelle":
            values[name] = spec.choices.get(value, value)
        elif spec.kind == "liste" and isinstance(value, list) and spec.element is not None:
            for item in value:
                if isinstance(item, dict):
                    apply_display(spec.element.fields, item)
        elif spec.kind == "objet" and isinstance(value, dict):
            apply_display(spec.fields, value)
