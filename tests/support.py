"""Helpers for the tests: seed texts, normalised text of rendered documents, samples."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docxtpl import DocxTemplate

from conventum.model.loading import load_data
from conventum.ooxml.namespaces import w
from conventum.ooxml.text import document_text
from conventum.ooxml.xml import parse_xml
from conventum.rendering.prepared import check_rendered, make_environment

ROOT = Path(__file__).resolve().parent.parent
# The seed documents and the Word corpus, copied byte for byte from the project's shared/
# folder so that every clone carries what the tests compare with (tests/reference/README.md).
REFERENCE = ROOT / "tests" / "reference"
SEEDS = REFERENCE / "seeds"
SAMPLES = ROOT / "samples"

# Not text: the e-signature tags (#signature#, #signature2#…) and the page footers ("Page 2 sur 6").
ARTEFACTS = re.compile(r"#signature\d*#|\bPage \d+ sur \d+\b")
SIGNATURE_TAG = re.compile(r"#signature\d*#")


def normalise(text: str) -> str:
    """Whitespace collapsed (no-break spaces included), e-signature tags and page footers dropped."""
    text = ARTEFACTS.sub(" ", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def seed(name: str) -> str:
    """The text of a seed document, by the start of its file name (e.g. "000")."""
    (match,) = SEEDS.glob(f"{name}_*.txt")
    return match.read_text(encoding="utf-8")


def between(text: str, start: str, end: str | None) -> str:
    """The normalised text from ``start`` (included) to ``end`` (excluded)."""
    flat = normalise(text)
    begin = flat.index(start)
    stop = flat.index(end, begin + len(start)) if end else len(flat)
    return flat[begin:stop].strip()


def sample(name: str) -> dict[str, Any]:
    """A sample data file as a dict."""
    return load_data(SAMPLES / f"{name}.yaml")


def docx_text(data: bytes) -> str:
    """Normalised visible text of a .docx."""
    return normalise(document_text(data))


def has_libreoffice() -> bool:
    return bool(os.environ.get("CONVENTUM_SOFFICE") or shutil.which("soffice"))


# LibreOffice tests are real: skipped on a developer machine without it, never in CI.
needs_libreoffice = pytest.mark.skipif(
    not has_libreoffice() and not os.environ.get("CI"), reason="LibreOffice absent (lancez ./setup.sh)"
)


def docxtpl_render(template: Path, context: dict[str, Any]) -> bytes:
    """The reference: docxtpl's own render and save, in conventum's sandbox, checked the same way.
    conventum renders through its prepared template; tests compare the two."""
    document = DocxTemplate(str(template))
    document.render(context, jinja_env=make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    check_rendered(buffer.getvalue(), name=template.name)
    return buffer.getvalue()


def signature_blocks(data: bytes) -> list[str]:
    """Each signature block of a rendered .docx as one normalised line: "Pour … Le Président NAME".

    A block is a table cell holding an e-signature tag (date, "Pour …", title, room, name, tag).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = parse_xml(archive.read("word/document.xml"))

    def cell_text(cell: Any) -> str:
        return " ".join("".join(t.text or "" for t in p.iter(w("t"))) for p in cell.iter(w("p")))

    cells = (cell_text(cell) for cell in root.iter(w("tc")))
    return [normalise(text) for text in cells if SIGNATURE_TAG.search(text)]
