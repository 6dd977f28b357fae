"""Rules on annexes: numbered 1..n, cited ones listed, supplied files readable PDFs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from conventum.issues import Issue
from conventum.model.blocks import Annexe
from conventum.ooxml.text import document_text
from conventum.pdf.inspection import annex_path, file_problem
from conventum.validation.rules.registry import Facts, rule

CITATION = re.compile(r"\bannexes?\s+n\s*[°º]\s*(\d+)", re.IGNORECASE)


@rule("annexes.numerotation")
def numbering(facts: Facts) -> Iterator[Issue]:
    """Annexes are numbered 1 to n without gap or repeat (the data may list them in any order)."""
    annexes = facts.convention.annexes
    expected = set(range(1, len(annexes) + 1))
    seen: set[int] = set()
    for index, annex in enumerate(annexes):
        if annex.numero in seen or annex.numero not in expected:
            missing = sorted(expected - {other.numero for other in annexes})
            attendu = missing[0] if missing else len(annexes) + 1
            params = {"numero": annex.numero, "attendu": attendu, "titre": annex.titre}
            yield Issue("annexes.numerotation", f"annexes[{index}].numero", params)
        seen.add(annex.numero)


@rule("annexes.fichiers")
def files(facts: Facts) -> Iterator[Issue]:
    """Every supplied file exists, is a PDF or DOCX that opens, is not encrypted, has pages."""
    for index, annex in enumerate(facts.convention.annexes):
        if annex.fichier is None:
            continue
        path = annex_path(annex, facts.base)
        code = file_problem(path, facts.files) if path is not None else None
        if code is not None:
            params = {"fichier": str(annex.fichier), "numero": annex.numero}
            yield Issue(code, f"annexes[{index}].fichier", params)


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
    numbers = [int(match) for match in CITATION.findall(document_text(template.read_bytes()))]
    return sorted(set(numbers))


@rule("annexes.fournies")
def supplied(facts: Facts, *, generees: Sequence[int] = ()) -> Iterator[Issue]:
    """Every listed annex is supplied as a file, unless conventum generates it.

    Conventum generates the annexes the type's schema lists (``annexes:``) and those in ``generees``.
    """
    generated = {*generees, *(item.get("numero") for item in facts.ctype.annexes)}
    for index, annex in enumerate(facts.convention.annexes):
        if annex.fichier is None and annex.numero not in generated:
            yield Issue("annexes.non_fournie", f"annexes[{index}].fichier", _named(annex))


def _named(annex: Annexe) -> dict[str, object]:
    return {"numero": annex.numero, "titre": annex.titre}
