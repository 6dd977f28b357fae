"""PDF through the real LibreOffice: the file opens with pypdf and holds the convention's words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conventum import ConversionError, render
from conventum.cli import main
from conventum.errors import ExitCode
from tests.support import SAMPLES, needs_libreoffice, normalise

TYPE = "adhesion-centrale-achats"
SAMPLE = SAMPLES / f"{TYPE}.yaml"


@needs_libreoffice
def test_sample_renders_to_a_readable_pdf(tmp_path: Path) -> None:
    target = tmp_path / "convention.pdf"
    render(TYPE, SAMPLE, target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 5
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    assert "CONVENTION D’ADHÉSION" in text
    assert "Département du Pas-de-Calais" in text
    assert "Fait à Arras, le 2 octobre 2023, en deux (2) exemplaires." in text


def test_pdf_without_libreoffice_fails_with_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVENTUM_SOFFICE", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    target = tmp_path / "convention.pdf"
    result = CliRunner().invoke(main, ["render", TYPE, str(SAMPLE), "-o", str(target)])
    assert result.exit_code == ExitCode.CONVERSION
    assert "apt-get install" in result.output
    assert not target.exists()
    docx = tmp_path / "convention.docx"
    assert CliRunner().invoke(main, ["render", TYPE, str(SAMPLE), "-o", str(docx)]).exit_code == 0


def test_conversion_error_is_part_of_the_hierarchy() -> None:
    assert issubclass(ConversionError, Exception)
    assert ConversionError("x").exit_code == ExitCode.CONVERSION
