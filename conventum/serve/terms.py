"""The legal term of a convention on the form: a sentence, not inputs.

A type that gives its term (a default: « deux ans, renouvelable une fois, préavis de trois mois »)
shows it as the document will write it, and sends it back unchanged; only a type that leaves the
term to the clerk (no default) offers its inputs. A renewal mode the type lets the clerk choose is
its own field (``reconduction_champ``), a drop-down beside the sentence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from conventum.model.blocks import Duree
from conventum.serve.formdata import kept_inputs
from conventum.serve.formfields import FieldBuilder, FormField
from conventum.terms.wording import term_words

TERM_HELP = "Prévue par ce type de convention : elle n’est pas à saisir."


def term_field(form: FieldBuilder, key: str, raw: Mapping[str, Any], value: Any, required: bool) -> FormField:
    """The term: a sentence when the type gives it, the inputs when the clerk must."""
    spec, _optional = form.unwrap(raw)
    default = spec.get("default")
    if default is None:
        return form.field(form.prefix + key, key, raw, value, required)
    given = value if isinstance(value, Mapping) else None
    label = str(spec.get("title") or "Durée de la convention")
    return FormField(
        name=form.prefix + key,
        label=label,
        kind="shown",
        value=term_sentence(given or default),
        help=TERM_HELP,
        kept=kept_inputs(form.prefix + key, given),
    )


def term_sentence(value: Any) -> str:
    """The term as the document writes it: "Conclue pour une durée de deux (2) ans, renouvelable une
    (1) fois …, à compter de la date de sa signature ; préavis de trois (3) mois."."""
    try:
        words = term_words(Duree.model_validate(value or {}))
    except (ValidationError, ValueError, TypeError):
        return "Durée prévue par le type de convention."
    sentence = f"Conclue pour une durée {words['texte']}, {words['entree_en_vigueur']}"
    if words["preavis"]:
        sentence += f" ; préavis de {words['preavis']}"
    return sentence + "."
