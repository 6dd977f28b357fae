"""Helpers for the content-control tests: the corpus, sample values, text outside the controls."""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree

from conventum.ooxml.namespaces import w
from conventum.ooxml.package import open_package, text_of
from conventum.word.fields import analyse
from tests.support import REFERENCE, ROOT, normalise

FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = REFERENCE / "corpus" / "content-controls"
CORPUS_FILES = sorted(CORPUS.glob("*.do[ct]x"))


def sample_value(name: str, spec: dict[str, Any]) -> Any:
    """A value of the field's type that a test can find again in the document."""
    kind = spec["type"]
    if kind == "date":
        return date(2024, 3, 15)
    if kind == "booleen":
        return True
    if kind == "choix":
        return list(spec["choix"])[-1]
    if kind == "liste":
        element = spec["element"]["champs"]
        return [{key: f"{value} {rank}" for key, value in sample_data(element).items()} for rank in (1, 2)]
    return f"Valeur {name}"


def sample_data(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: sample_value(name, spec) for name, spec in fields.items()}


def text_without_controls(data: bytes, *, template: bool = False) -> str:
    """The document's text once every field control is taken out (wrappers and the rest kept)."""
    analysis = analyse(data, template=template)
    for control in analysis.controls:
        if control.role == "field" and control.element.getparent() is not None:
            control.element.getparent().remove(control.element)
    return _story_text(analysis.package.trees)


def text_without_tags(data: bytes) -> str:
    """A template's text once every docxtpl tag is taken out: the run, or its paragraph if alone."""
    package = open_package(data)
    for tree in package.trees.values():
        for node in list(tree.iter(w("t"))):
            if "{{" not in (node.text or "") and "{%" not in (node.text or ""):
                continue
            run = next(node.iterancestors(w("r")))
            paragraph = next(run.iterancestors(w("p")))
            doomed = paragraph if text_of(paragraph).strip() == (node.text or "").strip() else run
            if doomed.getparent() is not None:
                doomed.getparent().remove(doomed)
    return _story_text(package.trees)


def _story_text(trees: dict[str, etree._Element]) -> str:
    return normalise(" ".join(text_of(tree) for tree in trees.values()))
