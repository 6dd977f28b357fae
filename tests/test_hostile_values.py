"""Values with XML specials, quotes, emoji and very long names render as written."""

from __future__ import annotations

import pytest

from conventum import TemplateError, render_document
from tests.support import docx_text, sample

TYPE = "adhesion-centrale-achats"


def _with_name(name: str) -> str:
    data = sample(TYPE)
    data["parties"][0]["nature"] = "etablissement-public"
    data["parties"][0]["nom"] = name
    data["parties"][0]["representant"]["qualite"] = "president"
    return docx_text(render_document(TYPE, data).content)


def test_ampersand_angle_brackets_and_quotes() -> None:
    name = 'Régie "Eau & Assainissement" <Nord> l\'O'
    assert f"l’Établissement public {name}" in _with_name(name)


def test_emoji() -> None:
    assert "Syndicat 🌊 des eaux" in _with_name("Syndicat 🌊 des eaux")


def test_two_thousand_character_name() -> None:
    name = "Établissement " + "très long " * 198 + "fin"
    assert len(name) > 1990
    assert name.strip() in _with_name(name)


def test_template_syntax_in_data_is_never_executed() -> None:
    # Data is not code: the tag is escaped, stays text, and the final check refuses the
    # document rather than let "{{" reach a signatory.
    data = sample(TYPE)
    data["parties"][0]["nom"] = "{{ 7 * 7 }}"
    with pytest.raises(TemplateError, match="balise de modèle"):
        render_document(TYPE, data)
