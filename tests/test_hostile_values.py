"""Values with XML specials, quotes, emoji and very long names render as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conventum import TemplateError, ValidationFailed, render_document, validate
from conventum.cli import main
from conventum.errors import ExitCode
from tests.support import docx_text, sample
from tests.typography import checked_text as _checked

TYPE = "adhesion-centrale-achats"


def _with_name(name: str) -> str:
    data = sample(TYPE)
    data["parties"][0]["nature"] = "etablissement-public"
    data["parties"][0]["nom"] = name
    data["parties"][0]["representant"]["qualite"] = "president"
    return docx_text(render_document(TYPE, data).content)


def test_ampersand_angle_brackets_and_quotes() -> None:
    # Normalised on the way in: the quotes become « », the apostrophe ’; & and < stay as typed.
    name = 'Régie "Eau & Assainissement" <Nord> l\'O'
    assert "l’Établissement public Régie « Eau & Assainissement » <Nord> l’O" in _with_name(name)


def test_hostile_values_survive_normalisation_everywhere() -> None:
    data = sample(TYPE)
    data["parties"][0]["nature"] = "etablissement-public"
    data["parties"][0]["representant"]["qualite"] = "president"
    data["parties"][0]["nom"] = 'A&B <c> « d » : e ; 🌊 "f"'
    data["parties"][0]["adresse"]["voie"] = "1 rue d'<Ici> & là !"
    text = _checked(render_document(TYPE, data).content)
    assert "l’Établissement public A&B <c> « d » : e ; 🌊 « f »" in text
    assert "1 rue d’<Ici> & là !" in text


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
    # a body whose name the official geography does not check (a département's name must be real)
    data["parties"][0] |= {"nature": "etablissement-public", "nom": "{{ 7 * 7 }}"}
    data["parties"][0]["representant"]["qualite"] = "president"
    with pytest.raises(TemplateError, match="balise de modèle"):
        render_document(TYPE, data)


def test_a_control_character_is_a_field_error_before_any_rendering() -> None:
    data = sample(TYPE)
    data["parties"][0]["nom"] = "Car\x01vin"  # pasted from another program: Word cannot hold it
    data["parties"][0]["adresse"]["voie"] = "Place\tde la Mairie\n"  # tab and line break are text
    result = validate(TYPE, data)
    found = [issue for issue in result.issues if issue.code == "field.caractere_interdit"]
    assert [issue.path for issue in found] == ["parties[0].nom"]
    assert found[0].message == (
        "La valeur « Car\ufffdvin » contient un caractère de contrôle (U+0001, position 4)"
        " qu’un document Word ne peut pas contenir : retirez-le."
    )
    with pytest.raises(ValidationFailed):
        render_document(TYPE, data)


def test_the_cli_refuses_a_control_character_and_writes_nothing(tmp_path: Path) -> None:
    data = sample(TYPE)
    data["parties"][0]["representant"]["nom"] = "Du\x0cpont"
    source = tmp_path / "data.json"
    source.write_text(json.dumps(data, default=str), encoding="utf-8")
    output = tmp_path / "convention.docx"
    result = CliRunner().invoke(main, ["render", TYPE, str(source), "-o", str(output)])
    assert result.exit_code == ExitCode.INVALID_DATA, result.output
    assert "parties[0].representant.nom" in result.output and "U+000C" in result.output
    assert not output.exists()
