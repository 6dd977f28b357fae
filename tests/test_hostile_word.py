"""Hostile Word files through the real CLI: a macro-enabled file (.docm) never passes its VBA into an
imported template or a filled file; a relationship to a missing part is refused at import, part named."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conventum.errors import ExitCode
from tests.test_word_cli import FILL_DATA, FIXTURE

MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
VBA_REL = (
    '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
    ' Target="vbaProject.bin"/>'
)


def conventum(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the exit code is what the tests check
        [sys.executable, "-c", "from conventum.cli import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def rewritten(changes: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    """The fixture with some parts changed and others added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(FIXTURE) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, changes.get(name, source.read(name)))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def docm() -> bytes:
    with zipfile.ZipFile(FIXTURE) as source:
        types = source.read("[Content_Types].xml").decode()
        rels = source.read("word/_rels/document.xml.rels").decode()
    types = types.replace(PLAIN_TYPE, MACRO_TYPE).replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    rels = rels.replace("</Relationships>", VBA_REL + "</Relationships>")
    changes = {"[Content_Types].xml": types.encode(), "word/_rels/document.xml.rels": rels.encode()}
    return rewritten(changes, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name = AutoOpen"})


def assert_no_macro(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert not [name for name in names if "vba" in name.lower()], names
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "macroEnabled" not in types and "vbaProject" not in types
    assert "vbaProject" not in rels


def test_a_docm_imported_gives_a_template_without_macros(tmp_path: Path) -> None:
    source = tmp_path / "modele.docm"
    source.write_bytes(docm())
    result = conventum(
        "import", str(source), "--type", "adhesion-macro", "--dossier", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "macros retirées" in result.stdout and "word/vbaProject.bin" in result.stdout  # the report's
    templates = list((tmp_path / "templates").glob("*.docx"))
    assert len(templates) == 1
    assert_no_macro(templates[0].read_bytes())


def test_a_docm_filled_gives_a_docx_without_macros(tmp_path: Path) -> None:
    source = tmp_path / "formulaire.docm"
    source.write_bytes(docm())
    (tmp_path / "d.yaml").write_text(FILL_DATA, encoding="utf-8")
    output = tmp_path / "rempli.docx"
    result = conventum("fill", str(source), str(tmp_path / "d.yaml"), "-o", str(output), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "macros retirées" in result.stderr
    assert_no_macro(output.read_bytes())
    with zipfile.ZipFile(output) as archive:
        assert "Libercourt" in archive.read("word/document.xml").decode()


def test_a_relationship_to_a_missing_part_is_refused_at_import(tmp_path: Path) -> None:
    with zipfile.ZipFile(FIXTURE) as source:
        rels = source.read("word/_rels/document.xml.rels").decode()
    dangling = (
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'image" Target="media/absente.png"/></Relationships>'
    )
    broken = rewritten(
        {"word/_rels/document.xml.rels": re.sub("</Relationships>", dangling, rels).encode()}, {}
    )
    source_path = tmp_path / "abime.docx"
    source_path.write_bytes(broken)
    result = conventum(
        "import", str(source_path), "--type", "abime", "--dossier", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert "word/media/absente.png" in result.stderr and "word/document.xml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "templates").exists() or not any((tmp_path / "templates").iterdir())
