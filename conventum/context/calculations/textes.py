"""Texts that vary with a choice field, declared in the type's YAML (``textes: {champ: {valeur: …}}``)."""

from __future__ import annotations

from typing import Any

from conventum.context.calculations.registry import calculation
from conventum.errors import TemplateError
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType


@calculation("textes")
def texts_of_choice(convention: Convention, *, ctype: ConventionType, champ: str) -> dict[str, Any]:
    """The texts the YAML gives for the value of field ``champ``: context key ``textes``."""
    table = ctype.texts.get(champ) or {}
    value = str(getattr(convention, champ))
    if value not in table:
        raise TemplateError(f"textes manquants pour « {champ} » = « {value} » dans {ctype.schema_path}")
    return {"textes": dict(table[value])}
