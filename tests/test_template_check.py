"""conventum check: every built-in template passes; broken ones are reported where a clerk finds them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from conventum.cli import main
from conventum.errors import ExitCode
from conventum.model.catalogue import load_type
from conventum.word.checking import check_template, context_names
from tests.support import ROOT, SAMPLES, docx_text

# The templates of the installed types; the others (the avenant, written for a convention of any
# type) have no schema of their own and are checked for their tags only.
TEMPLATES = sorted(
    p for p in (ROOT / "templates").glob("*.docx") if (ROOT / "schemas" / f"{p.stem}.yaml").is_file()
)
WITHOUT_TYPE = sorted(set((ROOT / "templates").glob("*.docx")) - set(TEMPLATES))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.stem for path in TEMPLATES])
def test_every_built_in_template_passes_the_check(template: Path) -> None:
    schema = yaml.safe_load((ROOT / "schemas" / f"{template.stem}.yaml").read_text(encoding="utf-8"))
    samples = [*SAMPLES.glob(f"{template.stem}.yaml"), *SAMPLES.glob(f"{template.stem}-*.yaml")]
    known = context_names(load_type(template.stem), samples)
    result = check_template(template.read_bytes(), schema=schema, known=known)
    # Nothing asked is dropped: every field printed, read by a calculation or a rule, or declared.
    assert [issue.message for issue in result.issues] == []


@pytest.mark.parametrize("template", WITHOUT_TYPE, ids=[path.stem for path in WITHOUT_TYPE])
def test_a_built_in_template_of_no_type_passes_the_tag_check(template: Path) -> None:
    assert [issue.message for issue in check_template(template.read_bytes()).issues] == []


def test_the_command_finds_the_schema_beside_a_built_in_template() -> None:
    result = run("check", str(TEMPLATES[0]))
    assert result.exit_code == 0, result.output
    assert "Modèle sans problème." in result.output


def _template(path: Path, *paragraphs: str | tuple[str, ...], cell: str | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for index, piece in enumerate((text,) if isinstance(text, str) else text):
            paragraph.add_run(piece).bold = index % 2 == 1
    if cell is not None:
        table = document.add_table(rows=2, cols=2)
        table.cell(1, 1).text = cell
    document.save(str(path))
    return path


def _schema(path: Path, **fields: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump({"champs": fields}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_syntax_error_is_shown_with_its_paragraph_and_cell_not_a_traceback(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", "Objet : {{ objet }}", cell="Montant : {{ montant | }} euros")
    result = run("check", str(template))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "tableau 1, ligne 2, cellule 2" in result.output
    assert "« Montant : {{ montant | }} euros »" in result.output
    assert "paragraphe 5" in result.output and "page ≈ 1" in result.output
    assert "Traceback" not in result.output


def test_a_tag_split_across_runs_is_found_and_fixed_in_place(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", ("Commune de ", "{{ no", "m }}", " ."))
    schema = _schema(tmp_path / "s.yaml", nom={"type": "texte"})
    found = run("check", str(template), "--schema", str(schema))
    assert found.exit_code == ExitCode.WARNINGS
    assert "« {{ nom }} » est coupée" in found.output
    fixed = run("check", str(template), "--schema", str(schema), "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert "recollée" in fixed.output
    again = run("check", str(template), "--schema", str(schema))
    assert again.exit_code == 0, again.output
    paragraph = docx.Document(str(template)).paragraphs[0]
    assert [run.text for run in paragraph.runs if "{{" in run.text] == ["{{ nom }}"]
    assert docx_text(template.read_bytes()) == "Commune de {{ nom }} ."


def test_unknown_variables_and_unused_required_fields(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", "{{ commune }} le {{ date_signature|date_fr }}")
    schema = _schema(
        tmp_path / "s.yaml",
        commune={"type": "texte"},
        objet={"type": "texte", "libelle": "Objet de la convention"},
        note={"type": "texte", "requis": False},
    )
    result = run("check", str(template), "--schema", str(schema))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "« date_signature » est utilisée mais n’est pas dans le schéma" in result.output
    assert "« objet » (Objet de la convention) est demandé mais le modèle ne l’imprime pas" in result.output
    # An optional field asked and never printed is dropped just the same.
    assert "« note »" in result.output


def test_a_field_not_printed_is_declared_with_its_reason(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", "{{ commune }}")
    declared = {"type": "texte", "imprime": False, "raison": "sert au classement du registre"}
    schema = _schema(tmp_path / "s.yaml", commune={"type": "texte"}, service=declared)
    assert run("check", str(template), "--schema", str(schema)).exit_code == 0
    silent = _schema(
        tmp_path / "s2.yaml", commune={"type": "texte"}, service={"type": "texte", "imprime": False}
    )
    result = run("check", str(template), "--schema", str(silent))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "« service » (service) est déclaré « imprime: false » sans « raison »" in result.output


def test_a_convention_that_never_prints_its_place_is_reported(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", "{{ membre.comparution }},")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"parties": [{"role": "membre"}], "champs": {}}), encoding="utf-8")
    result = run("check", str(template), "--schema", str(path))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "« signature.lieu » (Lieu de signature) est demandé" in result.output


def test_placeholder_texts_of_the_original_are_reported(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx",
        "Représentée par Choisissez un élément.",
        "Le Cliquez ou appuyez ici pour entrer une date.",
        "Signature : _____",
        "Montant de […] euros",
    )
    result = run("check", str(template))
    assert result.exit_code == ExitCode.TEMPLATE
    for placeholder in ("Choisissez", "Cliquez ou appuyez", "_____", "[…]"):
        assert f"« {placeholder} » resté" in result.output


def test_docxtpl_block_tags_are_understood(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx", "{%p for ligne in lignes %}", "{{ ligne.libelle }}", "{%p endfor %}"
    )
    schema = _schema(tmp_path / "s.yaml", lignes={"type": "liste", "element": {"type": "texte"}})
    result = run("check", str(template), "--schema", str(schema))
    assert result.exit_code == 0, result.output


def test_a_tag_in_a_footnote_is_reported_as_never_filled(tmp_path: Path) -> None:
    from conventum.word.importing import import_word
    from tests.wordsupport import CORPUS

    legacy = CORPUS / "poi__Bug54849.docx"
    template = import_word(legacy.read_bytes(), name="notes").template
    assert check_template(template).issues == []
    broken = _replace_in_part(template, "word/endnotes.xml", b"Endnote", b"Endnote {{ oubli }}")
    issues = check_template(broken).issues
    assert [(issue.code, issue.path.split(",")[0]) for issue in issues] == [
        ("template.tag_not_rendered", "endnotes.xml")
    ]


def _replace_in_part(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content.replace(old, new) if name == part else content)
    return buffer.getvalue()


def test_the_reason_a_field_is_not_printed_is_in_its_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conventum.model.json_schema import json_schema

    spec = {
        "type": "texte",
        "aide": "Le service instructeur.",
        "imprime": False,
        "raison": "sert au registre",
    }
    (tmp_path / "schemas").mkdir()
    declared = {"titre": "Essai", "champs": {"service": spec}}
    (tmp_path / "schemas" / "essai-imprime.yaml").write_text(
        yaml.safe_dump(declared, allow_unicode=True), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    schema = json_schema("essai-imprime")
    assert "Non imprimé dans le document : sert au registre" in schema["properties"]["service"]["description"]
