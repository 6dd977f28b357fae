"""Every Word file of the content-control corpus imports, renders, fills, and reads back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from conventum.api import render_document
from conventum.french.worddates import format_word_date
from conventum.ooxml.text import document_text
from conventum.pdf.converter import find_soffice
from conventum.word.checking import check_template
from conventum.word.fields import analyse
from conventum.word.filling import fill_word
from conventum.word.importing import import_word, write_import
from tests.support import docx_text, needs_libreoffice, normalise
from tests.wordsupport import CORPUS_FILES, sample_data, text_without_controls, text_without_tags

IDS = [path.name for path in CORPUS_FILES]


def _type_name(path: Path) -> str:
    return path.stem.lower().replace("_", "-").replace("--", "-")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_import_writes_a_template_that_renders_like_a_built_in_type(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = path.read_bytes()
    result = import_word(original, name=_type_name(path), source=path.name)
    template, schema_path = write_import(result, tmp_path)
    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    assert schema["champs"] == result.analysis.schema_fields
    assert not check_template(template.read_bytes(), schema=schema).issues
    assert text_without_tags(template.read_bytes()) == text_without_controls(original, template=True)
    monkeypatch.chdir(tmp_path)
    data = sample_data(schema["champs"])
    rendered = render_document(_type_name(path), data).content
    text = normalise(document_text(rendered))
    for name, spec in schema["champs"].items():
        if spec["type"] == "texte":
            assert f"Valeur {name}" in text
    (tmp_path / "rendu.docx").write_bytes(rendered)
    assert docx.Document(str(tmp_path / "rendu.docx")) is not None


def _shown(control_kind: str, spec: dict[str, object], value: object, fmt: str | None) -> str:
    if control_kind == "checkbox":
        return "☒" if value else "☐"
    if spec["type"] == "date":
        return format_word_date(value, fmt)
    choices = spec.get("choix")
    return str(choices.get(value, value)) if isinstance(choices, dict) else str(value)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_fill_puts_each_value_in_its_control_and_changes_nothing_else(path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    data = sample_data(analyse(original).schema_fields)
    filled = fill_word(original, data, source=path.name)
    assert text_without_controls(filled) == text_without_controls(original)
    after = analyse(filled)
    assert after.schema_fields == analyse(original).schema_fields  # the controls are still there
    for name, info in after.fields.items():
        for control in info.controls:
            if control.kind == "repeatingSection":
                shown = [value for item in data[name] for value in item.values()]
                assert all(value in control.text for value in shown)
            else:
                assert control.text == _shown(control.kind, info.spec, data[name], control.date_format)
                assert not control.showing_placeholder
    (tmp_path / "rempli.docx").write_bytes(filled)
    assert docx.Document(str(tmp_path / "rempli.docx")) is not None


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_converts_every_filled_and_every_rendered_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for path in CORPUS_FILES:
        original = path.read_bytes()
        data = sample_data(analyse(original).schema_fields)
        (tmp_path / f"{path.stem}.rempli.docx").write_bytes(fill_word(original, data))
        result = import_word(original, name=_type_name(path), source=path.name)
        write_import(result, tmp_path)
        rendered = render_document(_type_name(path), sample_data(result.schema["champs"])).content
        (tmp_path / f"{path.stem}.rendu.docx").write_bytes(rendered)
    documents = sorted(tmp_path.glob("*.docx"))
    # One LibreOffice run for all the files: the machine is shared, conversions are slow.
    command = [find_soffice(), f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless"]
    command += ["--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf")]
    subprocess.run([*command, *map(str, documents)], capture_output=True, timeout=600, check=False)
    for document in documents:
        pdf = PdfReader(tmp_path / "pdf" / f"{document.stem}.pdf")
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert len(pdf.pages) >= 1
        if document.stem.endswith("rendu") and "Valeur" in docx_text(document.read_bytes()):
            assert "valeur" in text.lower(), document.name
