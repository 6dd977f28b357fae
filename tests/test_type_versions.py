"""Versions of local types: saving a changed type keeps the earlier one, which still makes its
documents; each document says which type and version made it (DOCX core properties)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
import yaml
from click.testing import CliRunner

from conventum.cli import main
from conventum.errors import ExitCode, UnknownTypeError
from conventum.model.catalogue import available_types, load_type
from conventum.model.versions import kept_versions, save_version
from conventum.word.importing import import_word
from tests.support import docx_text
from tests.test_word_cli import FILL_DATA as DATA  # data naming the controls, imported as plain fields
from tests.test_word_cli import FIXTURE

NAME = "adhesion-versionnee"
# The imported form's fixed text is the Word file's own: conventum fills it, it does not retype it.
pytestmark = pytest.mark.typographie_libre


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the working directory is the folder of local types
    (tmp_path / "donnees.yaml").write_text(DATA, encoding="utf-8")
    return tmp_path


def imported() -> tuple[bytes, dict[str, object]]:
    result = import_word(FIXTURE.read_bytes(), name=NAME, source=FIXTURE.name)
    return result.template, result.schema


def reworded(template: bytes, old: str, new: str) -> bytes:
    """The template with a word of its body changed, as an author edits it in Word."""
    source, target = io.BytesIO(template), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            content = original.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(old.encode(), new.encode())
            copy.writestr(item, content)
    return target.getvalue()


def render_docx(type_name: str, output: Path) -> bytes:
    done = CliRunner().invoke(main, ["render", type_name, "donnees.yaml", "-o", str(output), "--force"])
    assert done.exit_code == 0, done.output
    return output.read_bytes()


def test_saving_twice_keeps_two_versions_and_the_earlier_still_renders(folder: Path) -> None:
    template, schema = imported()
    first = save_version(folder, NAME, template, schema, origin="Essai")
    assert (first.version, first.created, first.earlier) == ("1", True, ())
    assert load_type(NAME).version == "1" and NAME in available_types()
    changed = {**schema, "titre": "Convention d’adhésion (nouvelle rédaction)"}
    fields = dict(changed["champs"])  # type: ignore[call-overload]
    fields["adresse"] = {**fields["adresse"], "libelle": "Adresse du siège"}
    changed["champs"] = fields
    second = save_version(
        folder, NAME, reworded(template, "sise", "dont le siège est"), changed, origin="Essai"
    )
    assert (second.version, second.earlier) == ("2", ("1",))
    assert kept_versions(folder, NAME) == ["1", "2"]
    current = load_type(NAME)  # read again: the schema file changed under the same name
    assert (current.version, current.fields["adresse"].label) == ("2", "Adresse du siège")
    earlier = load_type(f"{NAME}@1")
    assert (earlier.version, earlier.fields["adresse"].label) == ("1", "Adresse")
    new_text = docx_text(render_docx(NAME, folder / "v2.docx"))
    old_text = docx_text(render_docx(f"{NAME}@1", folder / "v1.docx"))
    assert "La Commune de Libercourt, dont le siège est Place de la Mairie" in new_text
    assert "La Commune de Libercourt, sise Place de la Mairie" in old_text
    for path, version in ((folder / "v1.docx", "1"), (folder / "v2.docx", "2")):
        properties = python_docx.Document(io.BytesIO(path.read_bytes())).core_properties
        assert (properties.keywords, properties.version) == (f"{NAME}@{version}", version)


def test_saving_the_same_type_again_makes_no_new_version(folder: Path) -> None:
    template, schema = imported()
    save_version(folder, NAME, template, schema, origin="Essai")
    again = save_version(folder, NAME, template, schema, origin="Essai")
    assert (again.version, again.created) == ("1", False)
    assert kept_versions(folder, NAME) == ["1"]


def test_a_type_imported_without_version_becomes_version_1_when_changed(folder: Path) -> None:
    assert CliRunner().invoke(main, ["import", str(FIXTURE), "--type", NAME]).exit_code == 0
    assert load_type(NAME).version is None
    template, schema = imported()
    saved = save_version(folder, NAME, template, {**schema, "titre": "Autre titre"}, origin="Essai")
    assert (saved.version, saved.earlier) == ("2", ("1",))
    kept = yaml.safe_load((folder / "versions" / NAME / "1" / "schemas" / f"{NAME}.yaml").read_text("utf-8"))
    assert (kept["version"], kept["titre"]) == (1, NAME)
    assert load_type(f"{NAME}@1").titre == NAME


def test_an_unknown_version_names_the_versions_kept(folder: Path) -> None:
    template, schema = imported()
    save_version(folder, NAME, template, schema, origin="Essai")
    save_version(folder, NAME, template, {**schema, "titre": "Deux"}, origin="Essai")
    with pytest.raises(UnknownTypeError) as raised:
        load_type(f"{NAME}@7")
    assert f"{NAME}@7" in raised.value.message and f"{NAME}@1" in raised.value.message
    for hostile in ("../1", "..", ".1"):
        with pytest.raises(UnknownTypeError):
            load_type(f"{NAME}@{hostile}")
    done = CliRunner().invoke(main, ["render", f"{NAME}@7", "donnees.yaml", "-o", "x.docx"])
    assert done.exit_code == ExitCode.UNKNOWN_TYPE
    assert not (folder / "x.docx").exists()


def test_built_in_types_declare_a_version_that_their_documents_record(folder: Path) -> None:
    for name in ("adhesion-centrale-achats", "deliberation", "rapport"):
        assert load_type(name).version == "1"
    assert load_type("adhesion-centrale-achats@1") is load_type("adhesion-centrale-achats")
