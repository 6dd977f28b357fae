"""The shared Word corpus and the project's own fixtures go through the new import: each becomes a
type that renders, or (a file with no blank at all) is refused with « rien à importer »."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventum import ImportRefused, prepare_import, render_document, write_prepared
from conventum.ooxml.text import document_text
from tests.support import normalise
from tests.wordsupport import CORPUS_FILES, FIXTURES, sample_data

FILES = [*CORPUS_FILES, *sorted(FIXTURES.glob("*.docx"))]
NO_BLANK = {"openxmlsdk__p-in-sdt.docx"}  # a bibliography and a citation, nothing to fill
PARTY = {
    "nature": "commune",
    "nom": "Le Portel",
    "adresse": {"voie": "Place Henri Lebas", "code_postal": "62480", "commune": "Le Portel"},
    "representant": {"civilite": "Madame", "prenom": "Claire", "nom": "Dupont", "qualite": "maire"},
    "autorisation": {"organe": "conseil-municipal", "nature": "deliberation", "date": "2026-02-12"},
}


def _type_name(path: Path) -> str:
    return "import-" + path.stem.lower().replace("_", "-").replace("--", "-")


@pytest.mark.typographie_libre  # the corpus' own text is not conventum's to correct
@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_file_imports_and_renders(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if path.name in NO_BLANK:
        with pytest.raises(ImportRefused) as refused:
            prepare_import(path.read_bytes(), name=_type_name(path), source=path.name)
        assert [problem.code for problem in refused.value.problems] == ["import.rien_a_importer"]
        assert "rien à importer" in refused.value.message
        return
    prepared = prepare_import(path.read_bytes(), name=_type_name(path), source=path.name)
    write_prepared(prepared, tmp_path)
    monkeypatch.chdir(tmp_path)
    data = sample_data(prepared.schema["champs"])
    data["parties"] = [{"role": role["role"], **PARTY} for role in prepared.schema.get("parties", [])]
    text = normalise(document_text(render_document(_type_name(path), data).content))
    for name, spec in prepared.schema["champs"].items():
        if spec["type"] == "texte":
            assert f"Valeur {name}" in text
    for party in prepared.report.parties:
        assert "Commune du Portel" in text, party.role
