"""Rules on annexes: numbered 1..n, cited ones listed, supplied files readable PDFs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from conventum.issues import Issue
from conventum.models import Annexe
from conventum.pdfinfo import UnreadablePdf, inspect_pdf
from conventum.rules import Facts, rule

CITATION = re.compile(r"\bannexes?\s+n\s*[°º]\s*(\d+)", re.IGNORECASE)


@rule("annexes.numerotation")
def numbering(facts: Facts) -> Iterator[Issue]:
    """Annexes are listed in order, numbered 1 to n without gap or repeat."""
    for position, annex in enumerate(facts.convention.annexes, start=1):
        if annex.numero != position:
            params = {"numero": annex.numero, "attendu": position, "titre": annex.titre}
            yield Issue("annexes.numerotation", f"annexes[{position - 1}].numero", params)


@rule("annexes.fichiers")
def files(facts: Facts) -> Iterator[Issue]:
    """Every supplied file exists and is readable; a PDF opens, is not encrypted, has pages."""
    for index, annex in enumerate(facts.convention.annexes):
        if annex.fichier is None:
            continue
        code = file_problem(annex.fichier)
        if code is not None:
            params = {"fichier": str(annex.fichier), "numero": annex.numero}
            yield Issue(code, f"annexes[{index}].fichier", params)


def file_problem(path: Path) -> str | None:
    """The code of what is wrong with a supplied file, or None."""
    if not path.is_file():
        return "annexes.fichier_introuvable"
    if not os.access(path, os.R_OK):
        return "annexes.fichier_illisible"
    return _pdf_problem(path) if path.suffix.lower() == ".pdf" else None


def _pdf_problem(path: Path) -> str | None:
    try:
        pdf = inspect_pdf(path)
    except UnreadablePdf:
        return "annexes.pdf_invalide"
    except OSError:
        return "annexes.fichier_illisible"
    if pdf.encrypted:
        return "annexes.pdf_chiffre"
    return "annexes.pdf_vide" if pdf.pages == 0 else None


@rule("annexes.citees")
def cited_are_listed(facts: Facts) -> Iterator[Issue]:
    """Every "annexe n°k" the template cites is in the list of annexes."""
    listed = {annex.numero for annex in facts.convention.annexes}
    for number in cited_annexes(facts.ctype.template_path):
        if number not in listed:
            yield Issue("annexes.citee_absente", "annexes", {"numero": number})


def cited_annexes(template: Path) -> list[int]:
    """The annex numbers a template's text cites, in order, each once."""
    if not template.is_file():
        return []
    return _cited(template, template.stat().st_mtime_ns)


@cache
def _cited(template: Path, _mtime: int) -> list[int]:
    from conventum.rendering import document_text

    numbers = [int(match) for match in CITATION.findall(document_text(template.read_bytes()))]
    return sorted(set(numbers))


@rule("annexes.fournies")
def supplied(facts: Facts, *, generees: Sequence[int] = ()) -> Iterator[Issue]:
    """Every listed annex is supplied as a file, unless conventum generates it."""
    for index, annex in enumerate(facts.convention.annexes):
        if annex.fichier is None and annex.numero not in generees:
            yield Issue("annexes.non_fournie", f"annexes[{index}].fichier", _named(annex))


def _named(annex: Annexe) -> dict[str, object]:
    return {"numero": annex.numero, "titre": annex.titre}
