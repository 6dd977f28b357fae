"""conventum import / fill on the command line: files where they belong, nothing written on error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from conventum.cli import main
from conventum.errors import ExitCode
from conventum.word.fields import analyse
from tests.support import docx_text
from tests.wordsupport import CORPUS, FIXTURES

FIXTURE = FIXTURES / "adhesion-controles.docx"
DATA = """\
parties:
  - role: adherent
    nature: commune
    nom: Libercourt
    adresse: {voie: Place de la Mairie, code_postal: "62820", commune: Libercourt}
    representant: {civilite: Monsieur, prenom: Jean, nom: Dupont, qualite: maire}
    autorisation: {organe: conseil-municipal, nature: deliberation, date: 2023-09-12}
signature: {date: 2023-10-02}
facturation_electronique: true
numero_de_la_convention: "2023-338"
"""
# The same form filled in place: its controls stay, so its data name the controls.
FILL_DATA = """\
nature: commune
nom_de_l_adherent: Libercourt
adresse: Place de la Mairie à Libercourt (62820)
nom_du_representant_legal: Monsieur Jean DUPONT
qualite: maire
nom_de_l_assemblee_deliberante: du conseil municipal
date_de_la_decision: 2023-09-12
date_signature: 2023-10-02
numero_de_la_convention: "2023-338"
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# The imported form's fixed text is the Word file's own: conventum fills it, it does not retype it.
@pytest.mark.typographie_libre
def test_import_writes_into_the_working_directory_and_render_then_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "donnees.yaml").write_text(DATA, encoding="utf-8")
    imported = run("import", str(FIXTURE), "--type", "adhesion-word")
    assert imported.exit_code == 0, imported.output
    assert "Partie « adherent » (L’adhérent)" in imported.output
    assert "numero_de_la_convention (texte, contrôle de contenu)" in imported.output
    schema = yaml.safe_load((tmp_path / "schemas" / "adhesion-word.yaml").read_text(encoding="utf-8"))
    assert schema["parties"][0]["role"] == "adherent" and schema["exemplaires"] == 2
    assert "commune" in schema["parties"][0]["natures"]
    assert (tmp_path / "templates" / "adhesion-word.docx").is_file()
    assert "adhesion-word" in run("types").output
    rendered = run("render", "adhesion-word", "donnees.yaml", "-o", "sortie.docx")
    assert rendered.exit_code == 0, rendered.output
    text = docx_text((tmp_path / "sortie.docx").read_bytes())
    assert "La Commune de Libercourt, sise Place de la Mairie, 62820 Libercourt, représentée par" in text
    assert "Fait à Libercourt, le 2 octobre 2023, en deux (2) exemplaires." in text


def test_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert run("import", str(FIXTURE), "--type", "t", "--dossier", str(tmp_path)).exit_code == 0
    again = run("import", str(FIXTURE), "--type", "t", "--dossier", str(tmp_path))
    assert again.exit_code == ExitCode.OUTPUT
    assert run("import", str(FIXTURE), "--type", "t", "--dossier", str(tmp_path), "--force").exit_code == 0


def test_import_reports_what_it_cannot_map(tmp_path: Path) -> None:
    legacy = CORPUS / "openxmlsdk__sdtContent.docx"
    result = run("import", str(legacy), "--type", "images", "--dossier", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.count("Laissé tel quel : contrôle « picture »") == 2


def test_fill_writes_a_filled_form(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(FILL_DATA, encoding="utf-8")
    output = tmp_path / "rempli.docx"
    result = run("fill", str(FIXTURE), str(tmp_path / "d.yaml"), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "Le 02/10/2023" in docx_text(output.read_bytes())
    assert "date_signature" in analyse(output.read_bytes()).fields


def test_fill_with_bad_data_names_the_fields_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(FILL_DATA.replace("qualite: maire", "qualite: roi"), encoding="utf-8")
    output = tmp_path / "rempli.docx"
    result = run("fill", str(FIXTURE), str(tmp_path / "d.yaml"), "-o", str(output))
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "qualite" in result.output and "roi" in result.output
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "d.yaml"]


def test_import_refuses_the_name_of_a_built_in_type(tmp_path: Path) -> None:
    result = run("import", str(FIXTURE), "--type", "adhesion-centrale-achats", "--dossier", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "type intégré" in result.output
    assert not (tmp_path / "templates").exists()
