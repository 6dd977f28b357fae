"""The docxtpl adapter: fills a .docx template in a Jinja sandbox and checks the result.

This is the only module that imports docxtpl or Jinja; their errors are translated here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from conventum import formatting, grammar
from conventum.errors import TemplateError

# Texts of the original Word blanks, which must never reach a signed document.
PLACEHOLDERS = ("Choisissez", "Cliquez ou appuyez", "Cliquez ici", "[…]", "[...]", "_____")
TAG_PATTERN = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
XML_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RUN_TEXT = {f"{{{W_NS}}}tab": "\t", f"{{{W_NS}}}br": "\n"}

FILTERS: dict[str, Callable[..., Any]] = {
    "date_fr": formatting.format_date,
    "date_num": formatting.format_date_numeric,
    "montant": formatting.format_amount,
    "montant_lettres": formatting.amount_in_words,
    "nombre": formatting.format_number,
    "en_lettres": formatting.number_with_words,
    "accord": grammar.agree,
    "majuscule": grammar.capitalise,
    "de": grammar.of_name,
    "article": grammar.with_article,
    "liste_fr": formatting.join_words,
}


def make_environment() -> SandboxedEnvironment:
    """Jinja as conventum wants it: sandboxed, autoescaped, undefined names are errors."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


def template_syntax_error(source: str) -> tuple[int, str] | None:
    """The first Jinja syntax error of a template text, as (line, message); None if it parses."""
    try:
        make_environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno, exc.message or str(exc)
    return None


def template_variables(source: str) -> set[str]:
    """The names a template text reads from its context (Jinja's undeclared variables)."""
    import jinja2.meta

    return set(jinja2.meta.find_undeclared_variables(make_environment().parse(source)))


def render_docx(template_path: Path, context: dict[str, Any]) -> bytes:
    """Fill a template and return the .docx bytes, checked; raise TemplateError on any fault."""
    if not template_path.is_file():
        raise TemplateError(f"modèle introuvable : {template_path}", template=str(template_path))
    document = DocxTemplate(str(template_path))
    try:
        document.render(context, jinja_env=make_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"variable inconnue dans le modèle {template_path.name} : {exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"erreur de syntaxe dans le modèle {template_path.name}, ligne {exc.lineno} : {exc.message}"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"le modèle {template_path.name} n’a pas pu être rempli : {exc}") from exc
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    check_rendered(data, name=template_path.name)
    return data


def check_rendered(data: bytes, *, name: str) -> None:
    """Refuse a document whose XML is broken, or that still holds a tag or a Word blank."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if XML_PARTS.fullmatch(part):
                _check_part(archive.read(part), part, name)


def _check_part(xml: bytes, part: str, name: str) -> None:
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{name} : XML invalide dans {part} après remplissage ({exc})") from exc
    text = "".join(str(piece) for piece in root.itertext())
    tag = TAG_PATTERN.search(text)
    if tag:
        excerpt = text[max(0, tag.start() - 40) : tag.end() + 40]
        raise TemplateError(f"{name} : balise de modèle restée dans {part} : « {excerpt} »")
    for placeholder in PLACEHOLDERS:
        if placeholder in text:
            raise TemplateError(f"{name} : texte d’emplacement « {placeholder} » resté dans {part}")


def document_text(data: bytes) -> str:
    """The visible text of a .docx, paragraph by paragraph (text inside content controls too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted(p for p in archive.namelist() if XML_PARTS.fullmatch(p))
        body = [p for p in parts if p == "word/document.xml"] + [p for p in parts if p != "word/document.xml"]
        return "\n".join(_part_text(archive.read(part)) for part in body)


def _part_text(xml: bytes) -> str:
    root = etree.fromstring(xml)
    lines = []
    for paragraph in root.iter(f"{{{W_NS}}}p"):
        pieces = []
        for run in paragraph.iter(f"{{{W_NS}}}r"):
            for node in run.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}tab", f"{{{W_NS}}}br"):
                pieces.append(RUN_TEXT.get(node.tag, node.text or ""))
        lines.append("".join(pieces))
    return "\n".join(lines)
